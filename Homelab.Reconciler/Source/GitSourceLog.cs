using Microsoft.Extensions.Logging;

namespace Homelab.Reconciler.Source;

/// <summary>Log messages of <see cref="GitSource"/>; every URL in them is already redacted.</summary>
internal static partial class GitSourceLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Starting a working copy of {Url} in {Directory}")]
    public static partial void Cloning(this ILogger logger, string url, string directory);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Re-cloning {Directory}: {Reason}")]
    public static partial void Recloning(this ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Fetching {Ref} from {Url}")]
    public static partial void Fetching(this ILogger logger, TrackedRef @ref, string url);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Checked out {Revision} (was {Previous})")]
    public static partial void CheckedOut(this ILogger logger, string revision, string previous);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "{Revision} is already checked out")]
    public static partial void Unchanged(this ILogger logger, string revision);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Discarded local changes in {Directory} so it matches {Revision}")]
    public static partial void DiscardedLocalChanges(this ILogger logger, string directory, string revision);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Emptying the working tree of {Directory} to check out afresh: {Reason}")]
    public static partial void EmptyingWorkingTree(this ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Cloning the tip of {Ref} from {Url} into {Directory}, to replace the working copy")]
    public static partial void CloningShallow(this ILogger logger, TrackedRef @ref, string url, string directory);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Could not delete {Directory}; the next sync tries again: {Reason}")]
    public static partial void LeftoverKept(this ILogger logger, string directory, string reason);
}
