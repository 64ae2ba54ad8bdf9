using System.CommandLine;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Build;
using Homelab.Reconciler.Inventory;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Navidrome;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Source;
using Microsoft.Extensions.Logging;

namespace Homelab.Reconciler.Cli;

/// <summary>
/// The command line: <c>build</c>, <c>diff</c> and <c>reconcile --once</c>; <c>run</c> (the default)
/// starts the service. Errors are one line on stderr; exit codes follow Flux (diff: 0 none, 1 changes, 2 error).
/// </summary>
public static class CliApplication
{
    public static readonly string[] Verbs = ["build", "diff", "reconcile", "run", "status", "bootstrap", "navidrome-first-admin"];

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string[], Task<int>> runService)
    {
        ArgumentNullException.ThrowIfNull(runService);
        var root = new RootCommand("Homelab reconciler: keeps a cluster in sync with a folder of a Git repository.");

        var directory = new Argument<string>("DIR") { Description = "Folder to render (kustomization.yaml, or every YAML file in it); `..` may reach up to its Git repository's root (outside one: the current directory)." };
        var build = new Command("build", "Render DIR as multi-document YAML on stdout (exit 0; 2 on error).") { directory };
        build.SetAction(parse => Guard(error, () =>
        {
            var (buildRoot, folder) = BuildRoot.Locate(parse.GetValue(directory)!, Environment.CurrentDirectory);
            var objects = new KustomizeBuilder(BuildLimits.Default).Build(buildRoot, folder);
            output.Write(YamlOutput.Write(objects));
            return Task.FromResult(0);
        }));
        root.Subcommands.Add(build);

        var source = new Option<string>("--source") { Description = "Git URL or local repository path.", Required = true };
        var reference = new Option<string>("--ref") { Description = "Branch, tag or commit.", DefaultValueFactory = _ => Homelab.Defaults.ReconcilerDefaults.Ref };
        var path = new Option<string>("--path") { Description = "Folder to render, relative to the repository root.", DefaultValueFactory = _ => Homelab.Defaults.ReconcilerDefaults.Path };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster)." };
        var state = new Option<string?>("--state-dir") { Description = "Where the working copy and inventory live (default: ~/.homelab/reconciler)." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress output." };
        var tokenFile = new Option<string?>("--token-file") { Description = "File holding the https Git token (default: the GIT_TOKEN environment variable)." };

        var diff = new Command("diff", "Print what a reconcile would create, configure or delete (exit 0 nothing, 1 changes, 2 error).")
        {
            source, reference, path, kubeconfig, state, tokenFile, quiet,
        };
        diff.SetAction((parse, cancellationToken) => Guard(error, async () =>
        {
            var options = Options(parse, source, reference, path, kubeconfig, state, tokenFile);
            using var session = Session.Open(options, error, parse.GetValue(quiet), "diff");
            var changes = await session.DiffAsync(cancellationToken).ConfigureAwait(false);
            foreach (var change in changes.Changes.Where(c => c.Action is ChangeAction.Created or ChangeAction.Configured or ChangeAction.Deleted))
            {
                await output.WriteLineAsync(change.ToString()).ConfigureAwait(false);
            }

            return changes.HasChanges ? 1 : 0;
        }));
        root.Subcommands.Add(diff);

        var once = new Option<bool>("--once") { Description = "Run one cycle and exit (required: the service is `run`)." };
        var allowEmpty = new Option<bool>("--allow-empty") { Description = "Allow a revision that renders nothing to prune everything." };
        var reconcile = new Command("reconcile", "Fetch, build, apply, prune and check health once; print the revision and the change set.")
        {
            source, reference, path, kubeconfig, state, tokenFile, once, allowEmpty, quiet,
        };
        reconcile.SetAction((parse, cancellationToken) => Guard(error, async () =>
        {
            if (!parse.GetValue(once))
            {
                await error.WriteLineAsync("reconcile: pass --once (the continuous service is `run`)").ConfigureAwait(false);
                return 2;
            }

            var options = Options(parse, source, reference, path, kubeconfig, state, tokenFile);
            options.AllowEmpty = parse.GetValue(allowEmpty);
            using var session = Session.Open(options, error, parse.GetValue(quiet), "reconcile --once");
            var result = await session.ReconcileAsync(cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"revision: {result.AttemptedRevision}").ConfigureAwait(false);
            foreach (var change in result.Changes.Changes)
            {
                await output.WriteLineAsync(change.ToString()).ConfigureAwait(false);
            }

            await output.WriteLineAsync($"{result.Reason}: {result.Message}").ConfigureAwait(false);
            return result.Ready ? 0 : 1;
        }));
        root.Subcommands.Add(reconcile);

        var url = new Option<string>("--url") { Description = "The running reconciler's address.", DefaultValueFactory = _ => $"http://localhost:{Homelab.Defaults.ReconcilerDefaults.HttpPort}" };
        var statusCommand = new Command("status", "Print a running reconciler's status as a table.") { url };
        statusCommand.SetAction((parse, cancellationToken) => Guard(error, async () =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var json = await http.GetStringAsync(new Uri(new Uri(parse.GetValue(url)!), "/status"), cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(StatusTable.Format(json)).ConfigureAwait(false);
            return 0;
        }));
        root.Subcommands.Add(statusCommand);

        var repository = new Option<string>("--repository") { Description = "The repository's root folder (local checkout).", DefaultValueFactory = _ => "." };
        var secretsFile = new Option<string>("--secrets-file") { Description = "JSON with Parameters:* values (default: the AppHost's user secrets).", DefaultValueFactory = _ => Bootstrap.DefaultSecretsFile };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be applied, secret values redacted; contact no server." };
        var bootstrap = new Command("bootstrap", "Create the out-of-band Secrets from the AppHost's parameters, then apply homelab-system so the in-cluster reconciler takes over.")
        {
            repository, path, kubeconfig, secretsFile, dryRun,
        };
        bootstrap.SetAction((parse, cancellationToken) => Guard(error, async () =>
        {
            var objects = Bootstrap.Objects(Path.GetFullPath(parse.GetValue(repository)!), parse.GetValue(path)!, parse.GetValue(secretsFile)!);
            if (parse.GetValue(dryRun))
            {
                await output.WriteAsync(Bootstrap.DryRun(objects)).ConfigureAwait(false);
                await error.WriteLineAsync($"dry run: would apply {objects.Count} objects").ConfigureAwait(false);
                return 0;
            }

            var changes = await Bootstrap.ApplyAsync(objects, parse.GetValue(kubeconfig), cancellationToken).ConfigureAwait(false);
            foreach (var change in changes.Changes)
            {
                await output.WriteLineAsync(change.ToString()).ConfigureAwait(false);
            }

            await output.WriteLineAsync("bootstrapped: the reconciler in homelab-system now follows Git").ConfigureAwait(false);
            return 0;
        }));
        root.Subcommands.Add(bootstrap);

        var navidromeUrl = new Option<string>("--url") { Description = "Navidrome's address (in the pod: http://127.0.0.1:4533).", Required = true };
        var readyPort = new Option<int>("--ready-port") { Description = "Port serving GET /ready (503 until the admin exists, then 200) and GET /alive.", Required = true };
        var firstAdmin = new Command(
            "navidrome-first-admin",
            $"Sidecar: create Navidrome's first admin from {Homelab.Navidrome.FirstAdminSecret.UserVariable} and {Homelab.Navidrome.FirstAdminSecret.PasswordVariable}, report ready only once an admin exists, run until SIGTERM.")
        {
            navidromeUrl, readyPort,
        };
        firstAdmin.SetAction((parse, cancellationToken) => Guard(error, () => FirstAdminAsync(parse.GetValue(navidromeUrl)!, parse.GetValue(readyPort), error, cancellationToken)));
        root.Subcommands.Add(firstAdmin);

        var run = new Command("run", "Run the reconciler service (interval, endpoints, health). The default.");
        run.TreatUnmatchedTokensAsErrors = false;
        run.SetAction(parse => runService([.. parse.UnmatchedTokens]));
        root.Subcommands.Add(run);

        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return root.Parse(args).InvokeAsync(configuration);
    }

    /// <summary>The credentials come from the environment (secretKeyRefs in the pod), never from arguments: argv is visible to every process.</summary>
    private static async Task<int> FirstAdminAsync(string url, int port, TextWriter log, CancellationToken cancellationToken)
    {
        var options = new FirstAdminGateOptions
        {
            Url = url,
            ReadyPort = port,
            User = Environment.GetEnvironmentVariable(Homelab.Navidrome.FirstAdminSecret.UserVariable) ?? string.Empty,
            Password = Environment.GetEnvironmentVariable(Homelab.Navidrome.FirstAdminSecret.PasswordVariable) ?? string.Empty,
        };
        if (options.Validate() is { Count: > 0 } problems)
        {
            await log.WriteLineAsync($"error: {string.Join("; ", problems)}").ConfigureAwait(false);
            return 2;
        }

        await using var readiness = ReadinessEndpoint.TryStart(port, out var listenError);
        if (readiness is null)
        {
            await log.WriteLineAsync($"error: {listenError}").ConfigureAwait(false);
            return 2;
        }

        // The kubelet stops the pod with SIGTERM: a normal end, exit 0.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await log.WriteLineAsync($"waiting for Navidrome at {options.Navidrome} to create its first admin; not ready until then").ConfigureAwait(false);
        await new FirstAdminGate(new Homelab.Navidrome.FirstAdminClient(http), options, log).RunAsync(readiness, stop.Token).ConfigureAwait(false);
        await log.WriteLineAsync("stopped").ConfigureAwait(false);
        return 0;
    }

    private static ReconcileOptions Options(ParseResult parse, Option<string> source, Option<string> reference, Option<string> path, Option<string?> kubeconfig, Option<string?> state, Option<string?> tokenFile)
    {
        var options = new ReconcileOptions
        {
            Source = parse.GetValue(source)!,
            Ref = parse.GetValue(reference)!,
            Path = parse.GetValue(path)!,
            Kubeconfig = parse.GetValue(kubeconfig),
            TokenFile = parse.GetValue(tokenFile),
        };
        if (parse.GetValue(state) is { Length: > 0 } directory)
        {
            options.StateDirectory = directory;
        }

        var validation = new ReconcileOptionsValidator().Validate(null, options);
        return validation.Failed ? throw new Microsoft.Extensions.Options.OptionsValidationException(nameof(ReconcileOptions), typeof(ReconcileOptions), validation.Failures) : options;
    }

    /// <summary>Turns the errors people can act on into one line and exit code 2; a stack trace is not an error message.</summary>
    private static async Task<int> Guard(TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BuildException or SourceException or ApplyException or KubeApiException or HttpRequestException or IOException or UriFormatException or KubeconfigException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            await error.WriteLineAsync($"error: {UrlRedactor.Redact(ex.Message)}").ConfigureAwait(false);
            return 2;
        }
    }
}
