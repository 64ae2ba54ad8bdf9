using System.Text.Json.Nodes;
using Homelab.Kustomize;
using Homelab.Tests.Infrastructure;
using System.Security.Cryptography.X509Certificates;
using Homelab.AppHost.Publishing;
using k8s.Models;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>
/// What the user adds to a published tree outlives the next publish (the root kustomization is theirs),
/// and a private Git server's CA is a publish setting: real publishes, real `kubectl kustomize`.
/// </summary>
public sealed class PublishCustomisationTests
{
    [Fact]
    public async Task A_patch_and_a_resource_in_the_root_kustomization_survive_a_publish_and_render()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;
        await Publisher.PublishAsync(output);
        var root = Path.Combine(output, "kustomization.yaml");
        // As the file's own comment shows: a patch on a generated object, and a folder of the user's.
        File.WriteAllText(root, File.ReadAllText(root).Replace("- apps\n", "- apps\n- extra\n", StringComparison.Ordinal) + """
            patches:
            - target: {kind: Deployment, name: navidrome}
              patch: |-
                - op: replace
                  path: /spec/template/spec/containers/0/resources/limits/memory
                  value: 512Mi

            """);
        Directory.CreateDirectory(Path.Combine(output, "extra"));
        File.WriteAllText(Path.Combine(output, "extra", "kustomization.yaml"), "resources:\n- settings.yaml\n");
        File.WriteAllText(Path.Combine(output, "extra", "settings.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: my-settings\n  namespace: homelab\ndata:\n  a: b\n");
        var edited = File.ReadAllText(root);

        var log = await Publisher.PublishAsync(output, "--Homelab:Navidrome:Tag=0.59.0");

        Assert.Equal(edited, File.ReadAllText(root));
        Assert.Contains("Kept your kustomization.yaml", log, StringComparison.Ordinal);
        var objects = await Publisher.RenderAsync(output);
        var navidrome = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "navidrome").Spec.Template.Spec.Containers[0];
        Assert.Equal(new ResourceQuantity("512Mi"), navidrome.Resources.Limits["memory"]);
        // The regenerated folders did change underneath the patch.
        Assert.EndsWith(":0.59.0", navidrome.Image, StringComparison.Ordinal);
        Assert.Contains(objects.OfType<V1ConfigMap>(), c => c.Metadata.Name == "my-settings");

        // The reconciler renders the customised tree as kubectl does: it applies the patch and the resource.
        var theirs = new YamlToJson("kubectl", BuildLimits.Default).ReadDocuments(await ProcessRunner.RunAsync("kubectl", ["kustomize", output])).OfType<JsonObject>().ToList();
        var ours = new KustomizeBuilder(BuildLimits.Default).Build(Path.GetDirectoryName(output)!, Path.GetFileName(output));
        Assert.Equal(theirs.Count, ours.Count);
        Assert.All(theirs.Zip(ours), pair => Assert.True(JsonNode.DeepEquals(pair.First, pair.Second), $"{pair.First["kind"]}/{pair.First["metadata"]?["name"]} differs"));
    }

    [Fact]
    public async Task An_untouched_root_kustomization_of_an_older_publish_is_replaced_and_a_missing_one_written()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;
        var root = Path.Combine(output, "kustomization.yaml");
        // What earlier versions wrote, listed as generated in their index.
        File.WriteAllText(root, ClusterTree.LegacyRootKustomization);
        File.WriteAllText(Path.Combine(output, GeneratedFiles.IndexName), "kustomization.yaml\n");

        await Publisher.PublishAsync(output);

        Assert.Equal(ClusterTree.RootKustomization, File.ReadAllText(root));
        Assert.DoesNotContain("kustomization.yaml\n", File.ReadAllLines(Path.Combine(output, GeneratedFiles.IndexName)).Select(l => l + "\n"));

        File.Delete(root);
        await Publisher.PublishAsync(output);
        Assert.Equal(ClusterTree.RootKustomization, File.ReadAllText(root));
    }

    [Fact]
    public async Task A_git_ca_setting_publishes_a_config_map_the_reconciler_mounts_and_reads()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;
        using var ca = new TestCertificateAuthority();
        var caFile = Path.Combine(Directory.CreateTempSubdirectory("homelab-ca-").FullName, "ca.pem");
        File.WriteAllText(caFile, "# my Git server's CA\r\n" + ca.Root.ExportCertificatePem().Replace("\n", "\r\n", StringComparison.Ordinal));

        await Publisher.PublishAsync(output, $"--Homelab:Publish:GitCaFile={caFile}");

        var objects = await Publisher.RenderAsync(output);
        var map = Assert.Single(objects.OfType<V1ConfigMap>());
        Assert.Equal(("homelab-git-ca", "homelab-system"), (map.Metadata.Name, map.Metadata.NamespaceProperty));
        using var published = X509Certificate2.CreateFromPem(map.Data["ca.crt"]);
        Assert.Equal(ca.Root.Thumbprint, published.Thumbprint);

        var pod = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "homelab-reconciler").Spec.Template.Spec;
        var volume = Assert.Single(pod.Volumes, v => v.ConfigMap is not null);
        Assert.Equal(map.Metadata.Name, volume.ConfigMap.Name);
        var mount = Assert.Single(pod.Containers[0].VolumeMounts, m => m.Name == volume.Name);
        Assert.True(mount.ReadOnlyProperty);
        var caPath = Assert.Single(pod.Containers[0].Env, e => e.Name == "Reconciler__CaFile").Value;
        Assert.Equal($"{mount.MountPath}/ca.crt", caPath);
        Assert.Equal("/etc/homelab/git-ca/ca.crt", caPath);

        // Without the setting: none of it (the committed tree).
        var plain = (await Publisher.RenderAsync(Publisher.Committed)).OfType<V1Deployment>().Single(d => d.Metadata.Name == "homelab-reconciler").Spec.Template.Spec;
        Assert.DoesNotContain(plain.Containers[0].Env, e => e.Name == "Reconciler__CaFile");
        Assert.DoesNotContain(plain.Volumes, v => v.ConfigMap is not null);
    }

    [Fact]
    public async Task A_git_ca_file_with_a_private_key_or_no_certificate_is_refused_naming_the_setting()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;
        using var ca = new TestCertificateAuthority();
        var folder = Directory.CreateTempSubdirectory("homelab-ca-").FullName;
        var withKey = Path.Combine(folder, "with-key.pem");
        File.WriteAllText(withKey, ca.Root.ExportCertificatePem() + "\n" + ca.Root.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var empty = Path.Combine(folder, "empty.pem");
        File.WriteAllText(empty, "not a certificate\n");

        var keyResult = await Publisher.PublishToExitAsync(output, $"--Homelab:Publish:GitCaFile={withKey}");
        var emptyResult = await Publisher.PublishToExitAsync(output, $"--Homelab:Publish:GitCaFile={empty}");

        Assert.NotEqual(0, keyResult.ExitCode);
        Assert.Contains("Homelab:Publish:GitCaFile", keyResult.Output + keyResult.Error, StringComparison.Ordinal);
        Assert.Contains("private key", keyResult.Output + keyResult.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, emptyResult.ExitCode);
        Assert.Contains("no PEM certificate", emptyResult.Output + emptyResult.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "homelab-system", "configmap-homelab-git-ca.yaml")));
        Assert.DoesNotContain("PRIVATE KEY", string.Concat(Publisher.ReadTree(output).Values.Select(b => System.Text.Encoding.UTF8.GetString(b))), StringComparison.Ordinal);
    }
}
