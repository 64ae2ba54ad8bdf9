namespace Homelab.AppHost.Navidrome;

/// <summary>What happened when the first admin was requested.</summary>
internal enum FirstAdminResult
{
    Created,
    AlreadyExists,
    Failed,
}
