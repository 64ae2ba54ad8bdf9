using Homelab.Defaults;
using Microsoft.Extensions.Configuration;

namespace Homelab.AppHost.Publishing;

/// <summary>
/// The in-cluster reconciler's notifications, from <c>Homelab:Publish:NotifyUrl</c>, <c>NotifyKind</c> and <c>NotifyToken</c>
/// (the cluster reaches other receivers than this machine, as <c>Homelab:Publish:Interval</c> is apart from the local one).
/// </summary>
/// <param name="Url">The receiver's URL, written into the Deployment (it is in Git: put no secret in it).</param>
/// <param name="Kind"><c>ntfy</c>, <c>gotify</c>, <c>apprise</c> or <c>webhook</c>.</param>
/// <param name="Token">The receiver needs a token: the Deployment mounts it from the Secret <c>homelab-notify</c> (key <c>token</c>), created out of band.</param>
internal sealed record PublishedNotify(string Url, string Kind, bool Token)
{
    /// <summary>The settings, or null when no URL is set (notifications off: the tree is as without them).</summary>
    public static PublishedNotify? Read(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return section["NotifyUrl"] is { Length: > 0 } url ? new PublishedNotify(url, section["NotifyKind"] ?? string.Empty, section.GetValue("NotifyToken", false)) : null;
    }

    /// <summary>Settings the reconciler would refuse at start, refused at publish instead; each names the setting.</summary>
    public IEnumerable<string> Errors()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            yield return $"Homelab:Publish:NotifyUrl is \"{Url}\": use an absolute http:// or https:// URL";
        }
        else if (url.UserInfo.Length > 0)
        {
            yield return "Homelab:Publish:NotifyUrl holds credentials, which would go into Git: put the token in the Secret homelab-notify and set Homelab:Publish:NotifyToken=true";
        }

        if (!ReconcilerDefaults.NotifyKinds.Contains(Kind))
        {
            yield return $"Homelab:Publish:NotifyKind is \"{Kind}\": use one of {string.Join(", ", ReconcilerDefaults.NotifyKinds)}";
        }
    }
}
