using Homelab.AppHost.Apps;
using Homelab.AppHost.Hosting;
using Homelab.AppHost.Navidrome;
using Homelab.AppHost.Reconciler;
using Homelab.AppHost.Syncthing;
using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);
var configuration = builder.Configuration;

// Parameters: host folders (plain values), credentials (secret, generated once into user secrets).
var musicFolder = HostFolder.Resolve(configuration["Parameters:music-folder"] ?? "~/Music");
var notesFolder = HostFolder.Resolve(configuration["Parameters:notes-folder"] ?? "~/Obsidian");
builder.AddParameter("music-folder", musicFolder);
builder.AddParameter("notes-folder", notesFolder);
var navidromeAdminPassword = builder.AddParameter("navidrome-admin-password", Secrets.Password(), secret: true, persist: true);
var syncthingGuiPassword = builder.AddParameter("syncthing-gui-password", Secrets.Password(), secret: true, persist: true);
var syncthingApiKey = builder.AddParameter("syncthing-api-key", Secrets.ApiKey(), secret: true, persist: true);
var reconcilerApiToken = builder.AddParameter("reconciler-api-token", Secrets.ApiKey(), secret: true, persist: true);
var reconcilerWebhookSecret = builder.AddParameter("reconciler-webhook-secret", Secrets.ApiKey(), secret: true, persist: true);

var allInterfaces = configuration.GetValue<bool>(NetworkExposure.SettingKey);
var volumePrefix = configuration["Homelab:VolumePrefix"] ?? "homelab-";
if (builder.ExecutionContext.IsRunMode)
{
    builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) => HostFolder.EnsureAllExist(@event.Services, musicFolder, notesFolder));
}

// Apps: the music server and note sync from the original setup.
var navidrome = AppSettings.Read(configuration, "Navidrome", ContainerImageTags.NavidromeImage, ContainerImageTags.NavidromeTag);
if (navidrome.Enabled)
{
    builder.AddNavidrome("navidrome", navidrome, musicFolder, volumePrefix, navidromeAdminPassword, allInterfaces);
}

var syncthing = AppSettings.Read(configuration, "Syncthing", ContainerImageTags.SyncthingImage, ContainerImageTags.SyncthingTag);
if (syncthing.Enabled)
{
    builder.AddSyncthing("syncthing", syncthing, notesFolder, volumePrefix, syncthingGuiPassword, syncthingApiKey, allInterfaces);
}

// GitOps: the reconciler keeps a cluster in sync with clusters/<cluster>/ in Git.
if (configuration.GetValue("Homelab:Reconciler:Enabled", true))
{
    builder.AddReconciler("reconciler", reconcilerApiToken, reconcilerWebhookSecret);
}

builder.Build().Run();
