using System.Text.RegularExpressions;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>Scans what ships (the published cluster and the AppHost's settings) for default or literal credentials.</summary>
public sealed partial class NoDefaultPasswordTests
{
    [Fact]
    public void No_default_or_literal_credential_ships_in_the_cluster_tree_or_the_apphost_settings()
    {
        var files = Directory.EnumerateFiles(Path.Combine(TestPaths.RepositoryRoot, "clusters"), "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(TestPaths.RepositoryRoot, "Homelab.AppHost"), "*.json", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            .ToList();
        Assert.NotEmpty(files);
        // The checks can fail: they catch literals and pairs, and let references through.
        Assert.Matches(LiteralCredential(), "  password: hunter2");
        Assert.Matches(LiteralCredential(), "\"ApiToken\": \"abc123\"");
        Assert.DoesNotMatch(LiteralCredential(), "              key: syncthing-gui-password");
        Assert.DoesNotMatch(LiteralCredential(), "        - $(SYNCTHING_GUI_PASSWORD)");
        Assert.DoesNotMatch(LiteralCredential(), "      automountServiceAccountToken: false");
        // A key on a line of its own is a mapping, not a value (a Secret volume).
        Assert.DoesNotMatch(LiteralCredential(), "      - name: age-key\n        secret:\n          defaultMode: 288");
        Assert.Matches(DefaultPair(), "login admin/admin");

        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            Assert.False(DefaultPair().IsMatch(text), $"{file} holds a default user/password pair");
            Assert.False(LiteralCredential().IsMatch(text), $"{file} holds a literal credential: {LiteralCredential().Match(text).Value}");
            Assert.DoesNotContain("ND_DEVAUTOCREATEADMINPASSWORD", text, StringComparison.Ordinal);
        }
    }

    /// <summary>admin/admin, admin:admin and the like.</summary>
    [GeneratedRegex(@"\b(admin|root|user)[/:](admin|root|password|changeme)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DefaultPair();

    /// <summary>A password, token, secret or API key given a value on its line in YAML or JSON (references and switches are fine).</summary>
    [GeneratedRegex(@"(?i)""?[\w-]*(password|passwd|token|secret|apikey|api-key)""?[ \t]*[:=][ \t]*""?(?![ \t]*$)(?!\$\()(?!(true|false)[ \t]*$)[^\s""{}\[]+", RegexOptions.Multiline)]
    private static partial Regex LiteralCredential();
}
