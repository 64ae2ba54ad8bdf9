using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;

namespace Homelab.Tests.Secrets;

/// <summary>.sops.yaml as the sops CLI reads it: the nearest file up the tree, the first rule whose path_regex matches the path relative to it.</summary>
public sealed class SopsConfigFileTests
{
    private static readonly string First = AgeIdentity.Generate().Recipient.Text;
    private static readonly string Second = AgeIdentity.Generate().Recipient.Text;

    [Fact]
    public void The_first_matching_rule_wins_and_the_path_is_relative_to_the_config()
    {
        var text = $"""
            creation_rules:
              - path_regex: ^clusters/.*\.secret\.yaml$
                encrypted_regex: ^(data|stringData)$
                age: {First}, {Second}
              - path_regex: \.env$
                age:
                  - {Second}
              - age: {First}
            """;
        var cluster = SopsConfigFile.Parse(text, "clusters/my-laptop/app.secret.yaml");
        Assert.Equal([First, Second], cluster.Recipients.Select(r => r.Text));
        Assert.Equal("^(data|stringData)$", cluster.Rules.EncryptedRegex);
        Assert.Equal([Second], SopsConfigFile.Parse(text, "apps/.env").Recipients.Select(r => r.Text));
        var fallback = SopsConfigFile.Parse(text, "elsewhere/app.secret.yaml");
        Assert.Equal([First], fallback.Recipients.Select(r => r.Text));
        Assert.Equal(SopsRules.DefaultUnencryptedSuffix, fallback.Rules.UnencryptedSuffix);
    }

    [Fact]
    public void The_nearest_config_up_the_tree_is_used_and_none_is_NoCreationRule()
    {
        var root = Directory.CreateTempSubdirectory("homelab-sops-config-").FullName;
        var nested = Directory.CreateDirectory(Path.Combine(root, "a", "b")).FullName;
        File.WriteAllText(Path.Combine(root, ".sops.yaml"), $"creation_rules:\n  - path_regex: ^a/b/s\\.yaml$\n    age: {First}\n");
        var rule = SopsConfigFile.CreationRuleFor(Path.Combine(nested, "s.yaml"));
        Assert.Null(rule.Error);
        Assert.Equal(First, Assert.Single(rule.Value!.Recipients).Text);
        Assert.Equal(SopsErrorKind.NoCreationRule, SopsConfigFile.CreationRuleFor(Path.Combine(nested, "other.yaml")).Error?.Kind);
        File.WriteAllText(Path.Combine(nested, ".sops.yaml"), $"creation_rules:\n  - age: {Second}\n");
        Assert.Equal(Second, Assert.Single(SopsConfigFile.CreationRuleFor(Path.Combine(nested, "s.yaml")).Value!.Recipients).Text);
    }

    [Theory]
    [InlineData("creation_rules:\n  - pgp: 85D77543B3D624B63CEA9E6DBC17301B491B3F21\n", SopsErrorKind.Unsupported)]
    [InlineData("creation_rules:\n  - age: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsKLqeplhpW\n", SopsErrorKind.Unsupported)]
    [InlineData("creation_rules:\n  - path_regex: ^nomatch$\n    age: AGE\n", SopsErrorKind.NoCreationRule)]
    [InlineData("creation_rules:\n  - age: AGE\n    pgp: 85D77543B3D624B63CEA9E6DBC17301B491B3F21\n", SopsErrorKind.Unsupported)]
    [InlineData("stores: {}\n", SopsErrorKind.NoCreationRule)]
    public void Rules_we_cannot_honour_are_refused(string text, SopsErrorKind kind)
    {
        var root = Directory.CreateTempSubdirectory("homelab-sops-config-").FullName;
        File.WriteAllText(Path.Combine(root, ".sops.yaml"), text.Replace("AGE", First, StringComparison.Ordinal));
        Assert.Equal(kind, SopsConfigFile.CreationRuleFor(Path.Combine(root, "s.yaml")).Error?.Kind);
    }
}
