using Homelab.AppHost.Apps;
using Homelab.AppHost.Backups;
using Homelab.AppHost.Hosting;
using Homelab.AppHost.Navidrome;
using Homelab.AppHost.Publishing;
using Homelab.AppHost.Reconciler;
using Homelab.AppHost.Syncthing;
using Microsoft.Extensions.Configuration;

// `import-user-secrets`: the one-command migration; the AppHost writes its parameters encrypted and exits.
var importing = args.Contains(UserSecretsImport.Command);
var builder = DistributedApplication.CreateBuilder([.. args.Where(a => a != UserSecretsImport.Command)]);
var configuration = builder.Configuration;

// Secret parameters kept encrypted in the repository win over user secrets; without an age key, user secrets apply.
var variable = EncryptedParameters.Environment(configuration);
var secretsFile = EncryptedParameters.PathOf(configuration, builder.AppHostDirectory);
var encrypted = EncryptedParameters.Load(secretsFile, variable);
if (encrypted.Error is { } decryptError)
{
    // Never fall back to other credentials: a file that is there but does not decrypt stops the AppHost.
    Console.Error.WriteLine($"homelab: cannot read the encrypted parameters: {decryptError}");
    return 1;
}

if (encrypted.Values is { } values)
{
    ((IConfigurationBuilder)configuration).Add(new EncryptedParametersSource(values));
}
else if (!importing)
{
    Console.Error.WriteLine($"homelab: {encrypted.SkippedBecause}");
}

// Parameters: host folders (plain values), credentials (secret, generated once into user secrets and the encrypted file).
var musicFolder = HostFolder.Resolve(configuration["Parameters:music-folder"] ?? "~/Music");
var notesFolder = HostFolder.Resolve(configuration["Parameters:notes-folder"] ?? "~/Obsidian");
builder.AddParameter("music-folder", musicFolder);
builder.AddParameter("notes-folder", notesFolder);
var backup = BackupSettings.Read(configuration);
if (backup.Errors().FirstOrDefault() is { } backupError)
{
    // As the reconciler's settings: one line naming the setting, exit 2, before anything starts.
    Console.Error.WriteLine(backupError);
    return 2;
}
// A value generated now goes to user secrets (Aspire) and into the encrypted file, so Git has it too.
var generated = new GeneratedParameterStore(secretsFile, importing ? null : encrypted.Identities, importing ? null : encrypted.SkippedBecause, Console.Error, TimeProvider.System);
var navidromeAdminPassword = builder.AddGeneratedSecret("navidrome-admin-password", Secrets.Password(), generated);
var syncthingGuiPassword = builder.AddGeneratedSecret("syncthing-gui-password", Secrets.Password(), generated);
var syncthingApiKey = builder.AddGeneratedSecret("syncthing-api-key", Secrets.ApiKey(), generated);
// Syncthing's certificate and key: its device ID, the same for a wiped volume or a new cluster.
var syncthingIdentity = builder.AddGeneratedSecret("syncthing-identity", Secrets.SyncthingIdentity(), generated)
    // In the cluster: a Secret made before this key existed lacks it; Syncthing then keeps its volume's identity.
    .WithAnnotation(new OptionalSecretKeyAnnotation());
var reconcilerApiToken = builder.AddGeneratedSecret("reconciler-api-token", Secrets.ApiKey(), generated);
var reconcilerWebhookSecret = builder.AddGeneratedSecret("reconciler-webhook-secret", Secrets.ApiKey(), generated);

if (importing)
{
    var root = SourceRepository.Find(builder.AppHostDirectory)?.Root ?? Path.GetDirectoryName(builder.AppHostDirectory)!;
    var written = await UserSecretsImport.WriteAsync(builder.Resources.OfType<ParameterResource>(), secretsFile, root, variable, default);
    Console.Error.WriteLine(written.Succeeded
        ? $"homelab: wrote {string.Join(", ", written.Value!)} encrypted to {secretsFile}; commit it and .sops.yaml, keep your age key safe"
        : $"homelab: import failed: {written.Error}");
    return written.Succeeded ? 0 : 1;
}

var allInterfaces = configuration.GetValue<bool>(NetworkExposure.SettingKey);
var volumePrefix = configuration["Homelab:VolumePrefix"] ?? "homelab-";
if (builder.ExecutionContext.IsRunMode)
{
    builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) => HostFolder.EnsureAllExist(@event.Services, musicFolder, notesFolder, backup.LocalFolder(BackupSettings.NavidromeSubfolder), backup.LocalFolder(BackupSettings.SyncthingSubfolder)));
}

// Apps: the music server and note sync from the original setup.
var navidrome = AppSettings.Read(configuration, "Navidrome", ContainerImageTags.NavidromeImage, ContainerImageTags.NavidromeTag);
if (navidrome.Enabled)
{
    builder.AddNavidrome("navidrome", navidrome, musicFolder, volumePrefix, navidromeAdminPassword, allInterfaces)
        // In the cluster: the original setup's NodePort (with Homelab:Publish:NodePorts), its ~200 MB budget, the uid the image's docs use.
        .WithAnnotation(new NodePortAnnotation(NavidromeResource.HttpEndpointName, 30533))
        // In the cluster: a sidecar creates the owner's admin and keeps the pod out of the Service until it exists.
        .WithAnnotation(new FirstAdminSidecarAnnotation(NavidromeResource.HttpEndpointName))
        .WithAnnotation(new ResourceBudgetAnnotation("50m", "1", "128Mi", "384Mi"))
        .WithAnnotation(new RunAsAnnotation(1000, 1000))
        .WithBackups(backup);
}

var syncthing = AppSettings.Read(configuration, "Syncthing", ContainerImageTags.SyncthingImage, ContainerImageTags.SyncthingTag);
if (syncthing.Enabled)
{
    builder.AddSyncthing("syncthing", syncthing, notesFolder, volumePrefix, syncthingGuiPassword, syncthingApiKey, syncthingIdentity, allInterfaces)
        // In the cluster: the original setup's ~150 MB budget, the image's documented PUID/PGID 1000.
        .WithAnnotation(new ResourceBudgetAnnotation("20m", "1", "96Mi", "256Mi"))
        .WithAnnotation(new RunAsAnnotation(1000, 1000))
        .WithBackupSidecar(backup);
}

// GitOps: the reconciler keeps a cluster in sync with clusters/<cluster>/ in Git.
if (configuration.GetValue("Homelab:Reconciler:Enabled", true))
{
    builder.AddReconciler("reconciler", reconcilerApiToken, reconcilerWebhookSecret);
}

// Publish: plain Kubernetes manifests into clusters/<cluster>/ (see README "Publishing").
builder.AddKubernetesPublishing(musicFolder, notesFolder, backup);

builder.Build().Run();
// A failed publish step sets the exit code (Aspire itself exits 0): keep it.
return Environment.ExitCode;
