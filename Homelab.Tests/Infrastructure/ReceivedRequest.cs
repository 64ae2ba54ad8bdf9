namespace Homelab.Tests.Infrastructure;

/// <summary>One request a <see cref="LoopbackReceiver"/> received: method, path with query, headers (case-insensitive) and body.</summary>
internal sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);
