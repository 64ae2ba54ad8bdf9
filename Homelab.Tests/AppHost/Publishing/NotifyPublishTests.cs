using Homelab.Defaults;
using k8s.Models;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>
/// The in-cluster reconciler's notifications are publish settings (<c>Homelab:Publish:Notify*</c>): the URL and kind as values,
/// the token as a file from the Secret homelab-notify; without them the tree is the committed one. Real publishes, real `kubectl kustomize`.
/// </summary>
public sealed class NotifyPublishTests
{
    private static V1PodSpec ReconcilerPod(IEnumerable<k8s.IKubernetesObject> objects) =>
        objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "homelab-reconciler").Spec.Template.Spec;

    [Fact]
    public async Task Notify_settings_publish_the_url_kind_and_a_token_file_from_its_secret()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;

        await Publisher.PublishAsync(output, "--Homelab:Publish:NotifyUrl=https://ntfy.example.com/homelab", "--Homelab:Publish:NotifyKind=ntfy", "--Homelab:Publish:NotifyToken=true");

        var pod = ReconcilerPod(await Publisher.RenderAsync(output));
        var environment = pod.Containers[0].Env.ToDictionary(e => e.Name);
        Assert.Equal("https://ntfy.example.com/homelab", environment["Reconciler__Notify__Url"].Value);
        Assert.Equal("ntfy", environment["Reconciler__Notify__Kind"].Value);
        var volume = Assert.Single(pod.Volumes, v => v.Secret?.SecretName == ReconcilerDefaults.NotifyTokenSecret);
        Assert.True(volume.Secret.Optional);
        var mount = Assert.Single(pod.Containers[0].VolumeMounts, m => m.Name == volume.Name);
        Assert.True(mount.ReadOnlyProperty);
        Assert.Equal($"{mount.MountPath}/token", environment["Reconciler__Notify__TokenFile"].Value);

        // Without the settings: none of it (the committed tree).
        var plain = ReconcilerPod(await Publisher.RenderAsync(Publisher.Committed));
        Assert.DoesNotContain(plain.Containers[0].Env, e => e.Name.StartsWith("Reconciler__Notify__", StringComparison.Ordinal));
        Assert.DoesNotContain(plain.Volumes, v => v.Secret?.SecretName == ReconcilerDefaults.NotifyTokenSecret);
    }

    [Fact]
    public async Task A_notify_url_without_a_token_mounts_nothing()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;

        await Publisher.PublishAsync(output, "--Homelab:Publish:NotifyUrl=http://apprise.homelab.svc:8000/notify/homelab", "--Homelab:Publish:NotifyKind=apprise");

        var pod = ReconcilerPod(await Publisher.RenderAsync(output));
        Assert.Equal("apprise", Assert.Single(pod.Containers[0].Env, e => e.Name == "Reconciler__Notify__Kind").Value);
        Assert.DoesNotContain(pod.Containers[0].Env, e => e.Name == "Reconciler__Notify__TokenFile");
        Assert.DoesNotContain(pod.Volumes, v => v.Secret?.SecretName == ReconcilerDefaults.NotifyTokenSecret);
    }

    [Fact]
    public async Task A_bad_kind_or_a_url_with_credentials_is_refused_at_publish_naming_the_setting()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;

        var kind = await Publisher.PublishToExitAsync(output, "--Homelab:Publish:NotifyUrl=https://ntfy.example.com/homelab", "--Homelab:Publish:NotifyKind=pager");
        var credentials = await Publisher.PublishToExitAsync(output, "--Homelab:Publish:NotifyUrl=https://me:s3cret@ntfy.example.com/homelab", "--Homelab:Publish:NotifyKind=ntfy");

        Assert.NotEqual(0, kind.ExitCode);
        Assert.Contains("Homelab:Publish:NotifyKind is \"pager\": use one of ntfy, gotify, apprise, webhook", kind.Output + kind.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, credentials.ExitCode);
        Assert.Contains("Homelab:Publish:NotifyUrl holds credentials", credentials.Output + credentials.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", string.Concat(Publisher.ReadTree(output).Values.Select(b => System.Text.Encoding.UTF8.GetString(b))), StringComparison.Ordinal);
    }
}
