namespace Homelab.Secrets.Sops;

/// <summary>A node of a document's tree, the shape every format is read into.</summary>
internal abstract record SopsNode;
