using k8s;
using k8s.Models;

namespace Homelab.AppHost.Publishing;

/// <summary>
/// Claims for the model's volumes and folders. A named volume is a PersistentVolumeClaim the cluster's
/// provisioner fills, or, with <c>Storage=host</c> (a bare cluster has no provisioner), one bound to a
/// hostPath PersistentVolume under <c>DataFolder</c>. A host folder (music, notes) is always a claim
/// bound to a hostPath PersistentVolume: the pods then have no hostPath volume, so their namespace can
/// enforce Pod Security "restricted", and only the reconciler (cluster-admin anyway) creates host mounts.
/// Binding is static and exact: <c>storageClassName: ""</c> on both (no default class, no provisioner),
/// the volume's <c>claimRef</c> and the claim's <c>volumeName</c>.
/// </summary>
internal sealed class PersistentStorage(PublishSettings settings)
{
    /// <summary>hostPath ignores capacity; the claim and its volume only have to agree for binding.</summary>
    private const string HostFolderCapacity = "1Gi";

    private readonly List<NodeFolder> _folders = [];

    /// <summary>The data folder as the node sees it (a Windows path on Docker Desktop; <see cref="PublishSettings.Errors"/> refuses an untranslatable one).</summary>
    private readonly string _dataFolder = HostPathTranslator.Translate(settings.DataFolder, settings.Profile, out _) ?? settings.DataFolder;

    /// <summary>Every node folder a published PersistentVolume points at, in the order published.</summary>
    public IReadOnlyList<NodeFolder> Folders => _folders;

    /// <summary>A named volume's claim (and, with host storage, its volume).</summary>
    public IReadOnlyList<IKubernetesObject> NamedVolume(string name, string ns, Dictionary<string, string> labels, string size, (long User, long Group) owner)
    {
        if (settings.Storage != PublishSettings.HostStorage)
        {
            return [Claim(name, ns, labels, size, volumeName: null)];
        }

        // A folder the user prepares (chown): a missing one fails the mount, naming it, rather than
        // the kubelet creating it root-owned and the app failing later on "permission denied".
        var path = $"{_dataFolder.TrimEnd('/')}/{ns}/{name}";
        return Bound(name, ns, labels, size, new NodeFolder(path, owner.User, owner.Group, Writable: true, MustExist: true));
    }

    /// <summary>A folder of the user's machine, as the node sees it, through a claim bound to a hostPath volume.</summary>
    public IReadOnlyList<IKubernetesObject> HostFolder(string name, string ns, Dictionary<string, string> labels, string nodePath, (long User, long Group) owner, bool writable) =>
        // DirectoryOrCreate, as before: on Docker Desktop the folder is the Windows one, and an empty folder is a valid library.
        Bound(name, ns, labels, HostFolderCapacity, new NodeFolder(nodePath, owner.User, owner.Group, writable, MustExist: false));

    private IReadOnlyList<IKubernetesObject> Bound(string name, string ns, Dictionary<string, string> labels, string size, NodeFolder folder)
    {
        _folders.Add(folder);
        var volumeName = VolumeName(ns, name);
        var volume = new V1PersistentVolume
        {
            ApiVersion = "v1",
            Kind = "PersistentVolume",
            Metadata = new V1ObjectMeta { Name = volumeName, Labels = labels },
            Spec = new V1PersistentVolumeSpec
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) },
                AccessModes = ["ReadWriteOnce"],
                // The user's files: never deleted with the claim.
                PersistentVolumeReclaimPolicy = "Retain",
                StorageClassName = string.Empty,
                ClaimRef = new V1ObjectReference { ApiVersion = "v1", Kind = "PersistentVolumeClaim", NamespaceProperty = ns, Name = name },
                HostPath = new V1HostPathVolumeSource { Path = folder.Path, Type = folder.MustExist ? "Directory" : "DirectoryOrCreate" },
            },
        };
        return [Claim(name, ns, labels, size, volumeName), volume];
    }

    /// <summary>Cluster-scoped, so the namespace is part of the name.</summary>
    public static string VolumeName(string ns, string claim) => $"{ns}-{claim}";

    private static V1PersistentVolumeClaim Claim(string name, string ns, Dictionary<string, string> labels, string size, string? volumeName) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            // "" (not absent): a default StorageClass would otherwise claim it and it would never bind to ours.
            StorageClassName = volumeName is null ? null : string.Empty,
            VolumeName = volumeName,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) } },
        },
    };
}
