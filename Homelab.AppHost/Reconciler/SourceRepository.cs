namespace Homelab.AppHost.Reconciler;

/// <summary>The Git repository the AppHost lives in: the reconciler's default source.</summary>
/// <param name="Root">The repository's root folder.</param>
/// <param name="Ref">The checked-out branch (or commit when detached).</param>
internal sealed record SourceRepository(string Root, string Ref)
{
    /// <summary>Finds the repository containing <paramref name="directory"/>, or null outside Git.</summary>
    public static SourceRepository? Find(string directory)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            var head = Path.Combine(current.FullName, ".git", "HEAD");
            if (File.Exists(head))
            {
                return new SourceRepository(current.FullName, ReadHead(head));
            }
        }

        return null;
    }

    private static string ReadHead(string headFile)
    {
        const string branchPrefix = "ref: refs/heads/";
        var head = File.ReadAllText(headFile).Trim();
        return head.StartsWith(branchPrefix, StringComparison.Ordinal) ? head[branchPrefix.Length..] : head;
    }

    /// <summary>The <c>origin</c> remote's URL from <c>.git/config</c>, credentials removed; null when there is none.</summary>
    public string? OriginUrl()
    {
        var config = Path.Combine(Root, ".git", "config");
        if (!File.Exists(config))
        {
            return null;
        }

        var inOrigin = false;
        foreach (var raw in File.ReadLines(config))
        {
            var line = raw.Trim();
            if (line.StartsWith('['))
            {
                inOrigin = line == "[remote \"origin\"]";
            }
            else if (inOrigin && line.StartsWith("url", StringComparison.Ordinal) && line.Split('=', 2) is [_, var url])
            {
                var value = url.Trim();
                return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
                    ? value.Replace(uri.UserInfo + "@", string.Empty, StringComparison.Ordinal)
                    : value;
            }
        }

        return null;
    }
}
