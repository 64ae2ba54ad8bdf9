using Homelab.AppHost.Hosting;
using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;
using Homelab.Tests.AppHost.Hosting;
using Homelab.Tests.AppHost.Publishing;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Bootstrapping;

/// <summary>
/// A homelab kept as README's "Rebuild from scratch" expects it, made once per test class: a new age key (outside the
/// repository, mode 0600), <c>.sops.yaml</c> with its recipient, the AppHost's parameters encrypted in
/// <c>secrets/homelab.sops.yaml</c>, and <c>clusters/my-laptop</c> as the AppHost's real publish writes it (its Secrets
/// SOPS-encrypted). Each test gets a Git repository of its own holding that tree (<see cref="NewRepository"/>).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class EncryptedClusterRepository
{
    public const string Cluster = "clusters/my-laptop";

    /// <summary>What publish is told the repository is; each repository replaces it with its own path (the Deployment is not encrypted).</summary>
    private const string PublishedUrl = "https://git.example.invalid/rebuild/homelab.git";

    private readonly string _template;

    public EncryptedClusterRepository()
    {
        var (keyFolder, identity, keyFile) = EncryptedParametersTests.NewKey();
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (Identity, KeyFile, Values) = (identity, keyFile, EncryptedParametersTests.Values());
        _template = Directory.CreateTempSubdirectory("homelab-rebuild-").FullName;
        File.WriteAllText(Path.Combine(_template, SopsConfigFile.Name), $"creation_rules:\n  - age: {identity.Recipient.Text}\n");
        var secretsFile = Path.Combine(_template, EncryptedParameters.DefaultFile);
        Directory.CreateDirectory(Path.GetDirectoryName(secretsFile)!);
        File.WriteAllText(secretsFile, SopsFile.Encrypt(secretsFile, EncryptedParameters.ToYaml(Values), SopsConfigFile.CreationRuleFor(secretsFile).Value!).Value);
        var published = Publisher.PublishToExitAsync(
            Path.Combine(_template, Cluster),
            $"--{Homelab.Defaults.ReconcilerDefaults.RepositoryUrlSetting}={PublishedUrl}",
            $"--{EncryptedParameters.SettingKey}={secretsFile}",
            $"--{SopsAgeKeys.KeyFileVariable}={keyFile}",
            $"--XDG_CONFIG_HOME={keyFolder}").GetAwaiter().GetResult();
        Assert.True(published.ExitCode == 0, published.Output + published.Error);
        PublishOutput = published.Output + published.Error;
    }

    public AgeIdentity Identity { get; }

    /// <summary>The age key, as the user keeps it (never in the repository).</summary>
    public string KeyFile { get; }

    /// <summary>The AppHost's parameters, by name: every plaintext that must stay out of Git, logs, state and status.</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>What publish printed.</summary>
    public string PublishOutput { get; }

    /// <summary>A new repository with the tree, its reconciler following the repository itself (a local path, as tests follow Git).</summary>
    internal GitRepository NewRepository()
    {
        var repository = GitRepository.Create();
        foreach (var file in Directory.EnumerateFiles(_template, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(_template, file).Replace('\\', '/');
            repository.Write(relative, File.ReadAllText(file).Replace(PublishedUrl, repository.Root, StringComparison.Ordinal));
        }

        repository.Commit("the homelab, its secrets encrypted");
        return repository;
    }
}
