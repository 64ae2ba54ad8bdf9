using Homelab.Reconciler.Cli;
using Homelab.Tests.Kustomize;

namespace Homelab.Tests.Reconciler.Cli;

/// <summary><c>build DIR</c> resolves paths like <c>kubectl kustomize</c>: <c>..</c> works up to the repository root.</summary>
public sealed class BuildVerbTests : IDisposable
{
    private const string ConfigMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {enabled: \"true\", port: \"9797\"}\n";
    private readonly ScratchRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task An_overlay_reaches_its_base_inside_the_git_repository()
    {
        Directory.CreateDirectory(Path.Combine(_repo.Root, ".git"));
        _repo.Write("base/kustomization.yaml", "resources: [cm.yaml]\n").Write("base/cm.yaml", ConfigMap)
            .Write("overlays/prod/kustomization.yaml", "resources: [../../base]\nnamePrefix: prod-\n");

        var (code, stdout, stderr) = await Build(Path.Combine(_repo.Root, "overlays", "prod"));

        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        Assert.Equal("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: prod-settings\ndata:\n  enabled: \"true\"\n  port: \"9797\"\n", stdout);
    }

    [Fact]
    public async Task Leaving_the_git_repository_is_refused_naming_the_file_and_field()
    {
        Directory.CreateDirectory(Path.Combine(_repo.Root, "repo", ".git"));
        _repo.Write("outside/kustomization.yaml", "resources: [cm.yaml]\n").Write("outside/cm.yaml", ConfigMap)
            .Write("repo/app/kustomization.yaml", "resources: [../../outside]\n");

        var (code, _, stderr) = await Build(Path.Combine(_repo.Root, "repo", "app"));

        Assert.Equal(2, code);
        Assert.Equal("error: app/kustomization.yaml: resources[0]: path '../../outside' leaves the repository root\n", stderr);
    }

    [Fact]
    public void Outside_a_git_repository_the_current_directory_is_the_root()
    {
        var (root, path) = BuildRoot.Locate("overlays/prod", _repo.Root);

        Assert.Equal(Path.TrimEndingDirectorySeparator(_repo.Root), root);
        Assert.Equal("overlays/prod", path);
    }

    [Fact]
    public void A_folder_outside_the_current_directory_and_any_repository_is_its_own_root()
    {
        var elsewhere = Path.Combine(_repo.Root, "elsewhere");
        var (root, path) = BuildRoot.Locate(elsewhere, Path.Combine(_repo.Root, "cwd"));

        Assert.Equal(elsewhere, root);
        Assert.Equal(".", path);
    }

    [Fact]
    public async Task Encrypted_files_are_printed_as_committed_and_never_decrypted()
    {
        // build prints for a person or a pipe: it never reads an age key, so no decrypted value can reach stdout.
        var key = Homelab.Secrets.Age.AgeIdentity.Generate();
        const string Secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: pw-6d2e}\n";
        _repo.Write("app/kustomization.yaml", "resources: [secret.sops.yaml]\nsecretGenerator:\n- name: creds\n  envs: [creds.sops.env]\n")
            .Write("app/secret.sops.yaml", Infrastructure.SopsTestFiles.Encrypt("secret.sops.yaml", Secret, key, "^stringData$"))
            .Write("app/creds.sops.env", Infrastructure.SopsTestFiles.Encrypt("creds.sops.env", "PASSWORD=env-0b7f\n", key));

        var (code, stdout, stderr) = await Build(Path.Combine(_repo.Root, "app"));

        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        Assert.Contains("password: ENC[AES256_GCM,", stdout, StringComparison.Ordinal);
        Assert.Contains("sops:", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-6d2e", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String("env-0b7f"u8), stdout, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Build(string directory)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApplication.RunAsync(["build", directory], stdout, stderr, _ => Task.FromResult(0));
        return (code, stdout.ToString(), stderr.ToString());
    }
}
