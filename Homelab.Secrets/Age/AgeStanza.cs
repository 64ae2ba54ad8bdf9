namespace Homelab.Secrets.Age;

/// <summary>One recipient stanza of the header: <c>-&gt; TYPE ARG…</c> and its body (the wrapped file key).</summary>
internal sealed record AgeStanza(string Type, IReadOnlyList<string> Arguments, byte[] Body);
