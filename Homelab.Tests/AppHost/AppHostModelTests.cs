using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Homelab.AppHost.Navidrome;
using Homelab.AppHost.Syncthing;

namespace Homelab.Tests.AppHost;

/// <summary>The AppHost's model, inspected without running anything.</summary>
public sealed class AppHostModelTests
{
    [Fact]
    public async Task Navidrome_runs_the_pinned_image_with_music_read_only_and_data_on_a_named_volume()
    {
        await using var builder = await AppHostModel.BuildAsync();
        var navidrome = builder.Single<NavidromeResource>("navidrome");

        var image = Assert.Single(navidrome.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal("docker.io/deluan/navidrome", image.Image);
        Assert.Equal("0.58.5", image.Tag);

        var music = navidrome.Mount("/music");
        Assert.Equal(ContainerMountType.BindMount, music.Type);
        Assert.True(music.IsReadOnly);
        var data = navidrome.Mount("/data");
        Assert.Equal(ContainerMountType.Volume, data.Type);
        Assert.Equal("homelab-navidrome-data", data.Source);
        Assert.False(data.IsReadOnly);
    }

    [Fact]
    public async Task Navidrome_listens_on_4533_with_scanner_schedule_and_insights_off()
    {
        await using var builder = await AppHostModel.BuildAsync();
        var navidrome = builder.Single<NavidromeResource>("navidrome");

        var http = navidrome.Endpoint("http");
        Assert.Equal(4533, http.Port);
        Assert.Equal(4533, http.TargetPort);
        Assert.Equal("http", http.UriScheme);
        Assert.Equal(ProtocolType.Tcp, http.Protocol);

        var environment = await navidrome.EnvironmentAsync();
        Assert.Equal("@every 1h", environment["ND_SCANNER_SCHEDULE"]);
        Assert.Equal("false", environment["ND_ENABLEINSIGHTSCOLLECTOR"]);
        Assert.Equal("/music", environment["ND_MUSICFOLDER"]);
        Assert.Equal("/data", environment["ND_DATAFOLDER"]);
        // The old name is ignored since 0.55, and the dev auto-admin logs its password.
        Assert.DoesNotContain("ND_SCANSCHEDULE", environment.Keys);
        Assert.DoesNotContain("ND_DEVAUTOCREATEADMINPASSWORD", environment.Keys);
    }

    [Fact]
    public async Task Navidrome_scan_schedule_and_port_come_from_configuration()
    {
        await using var builder = await AppHostModel.BuildAsync("Homelab:Navidrome:ScanSchedule=@every 15m", "Homelab:Navidrome:Port=14533");
        var navidrome = builder.Single<NavidromeResource>("navidrome");

        Assert.Equal("@every 15m", (await navidrome.EnvironmentAsync())["ND_SCANNER_SCHEDULE"]);
        Assert.Equal(14533, navidrome.Endpoint("http").Port);
    }

    [Fact]
    public async Task Syncthing_has_gui_sync_tcp_and_udp_and_discovery_endpoints()
    {
        await using var builder = await AppHostModel.BuildAsync();
        var syncthing = builder.Single<SyncthingResource>("syncthing");

        AssertEndpoint(syncthing.Endpoint("gui"), 8384, ProtocolType.Tcp, "http");
        AssertEndpoint(syncthing.Endpoint("sync-tcp"), 22000, ProtocolType.Tcp, "tcp");
        AssertEndpoint(syncthing.Endpoint("sync-udp"), 22000, ProtocolType.Udp, "udp");
        AssertEndpoint(syncthing.Endpoint("discovery"), 21027, ProtocolType.Udp, "udp");

        static void AssertEndpoint(EndpointAnnotation endpoint, int port, ProtocolType protocol, string transport)
        {
            Assert.Equal(port, endpoint.Port);
            Assert.Equal(port, endpoint.TargetPort);
            Assert.Equal(protocol, endpoint.Protocol);
            Assert.Equal(transport, endpoint.Transport);
            Assert.False(endpoint.IsProxied);
        }
    }

    [Fact]
    public async Task Syncthing_keeps_config_on_a_named_volume_and_notes_read_write()
    {
        await using var builder = await AppHostModel.BuildAsync();
        var syncthing = builder.Single<SyncthingResource>("syncthing");

        var image = Assert.Single(syncthing.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal("docker.io/syncthing/syncthing", image.Image);
        Assert.Equal("1.30.0", image.Tag);
        var config = syncthing.Mount("/var/syncthing/config");
        Assert.Equal(ContainerMountType.Volume, config.Type);
        var notes = syncthing.Mount("/var/syncthing/Obsidian");
        Assert.Equal(ContainerMountType.BindMount, notes.Type);
        Assert.False(notes.IsReadOnly);
    }

    [Fact]
    public async Task Syncthing_credentials_are_set_by_an_init_step_before_the_gui_starts()
    {
        await using var builder = await AppHostModel.BuildAsync();
        var syncthing = builder.Single<SyncthingResource>("syncthing");
        var init = builder.Single<ContainerResource>("syncthing-init");

        // The GUI container waits for `syncthing generate` to finish.
        var wait = Assert.Single(syncthing.Annotations.OfType<WaitAnnotation>());
        Assert.Same(init, wait.Resource);
        Assert.Equal(WaitType.WaitForCompletion, wait.WaitType);

        // The password is in the init step's environment and read from stdin, never in its arguments.
        var args = await init.ArgumentsAsync();
        var password = await syncthing.GuiPassword.GetValueAsync(default);
        Assert.Equal("/bin/sh", init.Entrypoint);
        Assert.Equal(["-c", SyncthingInit.Script], args);
        Assert.DoesNotContain(password!, string.Join(' ', args), StringComparison.Ordinal);
        Assert.Contains("--gui-password - ", SyncthingInit.Script, StringComparison.Ordinal);
        Assert.Contains($"--gui-user {SyncthingResource.GuiUser}", SyncthingInit.Script, StringComparison.Ordinal);
        Assert.Equal(password, (await init.EnvironmentAsync())[SyncthingInit.PasswordVariable]);
        Assert.Same(syncthing.Mount("/var/syncthing/config").Source, init.Mount("/var/syncthing/config").Source);

        var environment = await syncthing.EnvironmentAsync();
        Assert.Equal(await syncthing.ApiKey.GetValueAsync(default), environment["STGUIAPIKEY"]);
        Assert.Equal("1", environment["STNOUPGRADE"]);
    }

    [Fact]
    public async Task Every_app_has_a_health_check()
    {
        await using var builder = await AppHostModel.BuildAsync();

        foreach (var name in new[] { "navidrome", "syncthing", "reconciler" })
        {
            var resource = Assert.Single(builder.Resources, r => r.Name == name);
            Assert.NotEmpty(resource.Annotations.OfType<HealthCheckAnnotation>());
        }
    }

    [Theory]
    [InlineData("navidrome-admin-password")]
    [InlineData("syncthing-gui-password")]
    [InlineData("syncthing-api-key")]
    [InlineData("reconciler-api-token")]
    [InlineData("reconciler-webhook-secret")]
    public async Task Credentials_are_secret_generated_parameters_without_defaults_like_admin(string name)
    {
        // Empty, as on a first run: the generated default applies.
        await using var builder = await AppHostModel.BuildAsync($"Parameters:{name}=");
        var parameter = builder.Single<ParameterResource>(name);

        Assert.True(parameter.Secret);
        var value = await parameter.GetValueAsync(default);
        Assert.NotNull(value);
        Assert.True(value.Length >= 24, $"{name} is {value.Length} characters");
        Assert.DoesNotContain("admin", value, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task No_password_literal_is_written_into_any_resource()
    {
        await using var builder = await AppHostModel.BuildAsync();
        var secrets = builder.Resources.OfType<ParameterResource>().Where(p => p.Secret).ToList();
        // The five credentials and Syncthing's identity.
        Assert.Equal(6, secrets.Count);

        foreach (var resource in builder.Resources.OfType<IResourceWithEnvironment>())
        {
            foreach (var (key, value) in await resource.EnvironmentAsync())
            {
                var fromSecret = await IsSecretValueAsync(value);
                var looksLikeCredential = key.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase)
                    || key.Contains("APIKEY", StringComparison.OrdinalIgnoreCase)
                    || key.Contains("TOKEN", StringComparison.OrdinalIgnoreCase);
                Assert.False(looksLikeCredential && !fromSecret, $"{resource.Name}: {key} is a literal credential");
            }
        }

        async Task<bool> IsSecretValueAsync(string value)
        {
            foreach (var secret in secrets)
            {
                if (await secret.GetValueAsync(default) == value)
                {
                    return true;
                }
            }

            return false;
        }
    }

    [Fact]
    public async Task Ports_bind_to_localhost_by_default_and_to_all_interfaces_when_asked()
    {
        await using (var local = await AppHostModel.BuildAsync())
        {
            var endpoints = local.Resources.SelectMany(r => r.Annotations.OfType<EndpointAnnotation>()).Where(e => !e.IsProxied).ToList();
            Assert.Equal(5, endpoints.Count);
            Assert.All(endpoints, e => Assert.Equal("127.0.0.1", e.TargetHost));
        }

        await using var tailnet = await AppHostModel.BuildAsync("Homelab:ListenOnAllInterfaces=true");
        var exposed = tailnet.Resources.SelectMany(r => r.Annotations.OfType<EndpointAnnotation>()).Where(e => !e.IsProxied).ToList();
        Assert.Equal(5, exposed.Count);
        Assert.All(exposed, e => Assert.Equal("0.0.0.0", e.TargetHost));
    }

    [Fact]
    public async Task Apps_can_be_disabled_and_their_images_overridden()
    {
        await using var builder = await AppHostModel.BuildAsync(
            "Homelab:Navidrome:Enabled=false",
            "Homelab:Syncthing:Image=localhost/homelab-syncthing",
            "Homelab:Syncthing:Tag=1.19.2");

        Assert.DoesNotContain(builder.Resources, r => r.Name == "navidrome");
        var syncthing = builder.Single<SyncthingResource>("syncthing");
        var image = Assert.Single(syncthing.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal("localhost/homelab-syncthing", image.Image);
        Assert.Equal("1.19.2", image.Tag);
    }

    [Fact]
    public async Task Reconciler_defaults_to_this_repository_its_branch_and_clusters_my_laptop()
    {
        await using var builder = await AppHostModel.BuildAsync();
        var reconciler = builder.Single<ProjectResource>("reconciler");

        var environment = await reconciler.EnvironmentAsync();
        Assert.Equal(TestPaths.RepositoryRoot, environment["Reconciler__Source"]);
        Assert.Equal("clusters/my-laptop", environment["Reconciler__Path"]);
        Assert.Equal("00:01:00", environment["Reconciler__Interval"]);
        Assert.False(string.IsNullOrEmpty(environment["Reconciler__Ref"]));
    }

    [Fact]
    public async Task Reconciler_gets_a_kubeconfig_only_when_one_is_configured_and_otherwise_looks_for_it_itself()
    {
        await using var unset = await AppHostModel.BuildAsync();
        Assert.DoesNotContain("Reconciler__Kubeconfig", (await unset.Single<ProjectResource>("reconciler").EnvironmentAsync()).Keys);

        var kubeconfig = Path.Combine(Path.GetTempPath(), "homelab-kube", "config");
        await using var configured = await AppHostModel.BuildAsync($"Homelab:Reconciler:Kubeconfig={kubeconfig}");
        Assert.Equal(kubeconfig, (await configured.Single<ProjectResource>("reconciler").EnvironmentAsync())["Reconciler__Kubeconfig"]);
    }

    [Fact]
    public async Task Reconciler_has_reconcile_suspend_and_resume_commands_and_gets_its_token_from_a_secret()
    {
        await using var builder = await AppHostModel.BuildAsync();
        var reconciler = builder.Single<ProjectResource>("reconciler");

        var commands = reconciler.Annotations.OfType<ResourceCommandAnnotation>().ToDictionary(c => c.Name, c => c.DisplayName);
        Assert.Equal("Reconcile now", commands["reconcile-now"]);
        Assert.Equal("Suspend", commands["suspend"]);
        Assert.Equal("Resume", commands["resume"]);
        var environment = await reconciler.EnvironmentAsync();
        Assert.Equal(await builder.Single<ParameterResource>("reconciler-api-token").GetValueAsync(default), environment["Reconciler__ApiToken"]);
        Assert.Equal(await builder.Single<ParameterResource>("reconciler-webhook-secret").GetValueAsync(default), environment["Reconciler__WebhookSecret"]);
    }

    [Fact]
    public async Task Local_only_syncthing_cannot_reach_https_services_from_its_first_second()
    {
        await using var normal = await AppHostModel.BuildAsync();
        Assert.DoesNotContain("HTTPS_PROXY", (await normal.Single<SyncthingResource>("syncthing").EnvironmentAsync()).Keys);

        await using var localOnly = await AppHostModel.BuildAsync("Homelab:Syncthing:LocalOnly=true");
        var environment = await localOnly.Single<SyncthingResource>("syncthing").EnvironmentAsync();
        Assert.Equal("http://127.0.0.1:9", environment["HTTPS_PROXY"]);
        Assert.Equal("http://127.0.0.1:9", environment["HTTP_PROXY"]);
        Assert.DoesNotContain("ALL_PROXY", environment.Keys);
    }
}
