using System.CommandLine;
using Homelab.Reconciler.Apply;
using Homelab.Kustomize;
using Homelab.Reconciler.Apps.Navidrome;
using Homelab.Reconciler.Bootstrapping;
using Homelab.Reconciler.Inventory;
using Homelab.Reconciler.Kubernetes;
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
    public static readonly string[] Verbs = ["build", "diff", "reconcile", "run", "status", "bootstrap", "navidrome-first-admin", "secrets"];

    /// <summary>
    /// Whether <paramref name="args"/> are for the CLI: a first word that is no setting (<c>--Reconciler:X=…</c>,
    /// <c>/Key=value</c>, <c>Key=value</c>, <c>--urls …</c>) is a verb, and a mistyped one gets usage and exit 2,
    /// never the service. No arguments, or settings only, start the service.
    /// </summary>
    public static bool IsCommand(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0)
        {
            return false;
        }

        var first = args[0];
        return first is "-h" or "-?" or "--help" or "--version"
            || !(first.StartsWith('-') || first.StartsWith('/') || first.Contains('=', StringComparison.Ordinal));
    }

    /// <param name="args">The command line.</param>
    /// <param name="output">Where the verb's data goes (stdout).</param>
    /// <param name="error">Where errors, usage and progress go (stderr).</param>
    /// <param name="runService">Starts the service (<c>run</c>).</param>
    /// <param name="configuration">
    /// <c>Reconciler:*</c> settings as <c>run</c> reads them; default: appsettings.json in the current directory and the
    /// environment (<see cref="CliSettings.Read"/>). Flags win over it.
    /// </param>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string[], Task<int>> runService, Microsoft.Extensions.Configuration.IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(runService);
        // Read when a verb needs it: the sidecar and `run` never do.
        var read = configuration;
        Microsoft.Extensions.Configuration.IConfiguration Settings() => read ??= CliSettings.Read(Environment.CurrentDirectory);
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

        var source = new Option<string?>("--source") { Description = "Git URL or local repository path (default: Reconciler:Source, e.g. the Reconciler__Source environment variable)." };
        var reference = new Option<string?>("--ref") { Description = $"Branch, tag or commit (default: Reconciler:Ref, else {Homelab.Defaults.ReconcilerDefaults.Ref})." };
        var path = new Option<string?>("--path") { Description = $"Folder to render, relative to the repository root (default: Reconciler:Path, else {Homelab.Defaults.ReconcilerDefaults.Path})." };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig file (default: Reconciler:Kubeconfig, KUBECONFIG, ~/.kube/config, in-cluster)." };
        var state = new Option<string?>("--state-dir") { Description = "Where the working copy and inventory live (default: Reconciler:StateDirectory, else ~/.homelab/reconciler)." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress output." };
        var tokenFile = new Option<string?>("--token-file") { Description = "File holding the https Git token (default: Reconciler:TokenFile, else the GIT_TOKEN environment variable)." };
        var caFile = new Option<string?>("--ca-file") { Description = "PEM file of certificate authorities trusted for https Git besides the system's, for a private Git server; Linux only (default: Reconciler:CaFile)." };

        var diff = new Command("diff", "Print what a reconcile would create, configure or delete (exit 0 nothing, 1 changes, 2 error).")
        {
            source, reference, path, kubeconfig, state, tokenFile, caFile, quiet,
        };
        diff.SetAction((parse, cancellationToken) => Guard(error, async () =>
        {
            var options = Options(parse, Settings(), source, reference, path, kubeconfig, state, tokenFile, caFile);
            using var session = Session.Open(options, error, parse.GetValue(quiet), "diff");
            var result = await session.DiffAsync(cancellationToken).ConfigureAwait(false);
            if (!result.Ready)
            {
                await error.WriteLineAsync($"error: {result.Message}").ConfigureAwait(false);
                return 2;
            }

            var changes = result.Changes;
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
            source, reference, path, kubeconfig, state, tokenFile, caFile, once, allowEmpty, quiet,
        };
        reconcile.SetAction((parse, cancellationToken) => Guard(error, async () =>
        {
            if (!parse.GetValue(once))
            {
                await error.WriteLineAsync("reconcile: pass --once (the continuous service is `run`)").ConfigureAwait(false);
                return 2;
            }

            var options = Options(parse, Settings(), source, reference, path, kubeconfig, state, tokenFile, caFile);
            options.AllowEmpty |= parse.GetValue(allowEmpty);
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

        var repository = new Option<string?>("--repository") { Description = "The repository's root folder (default: the Git repository holding the current directory)." };
        var secretsFile = new Option<string>("--secrets-file") { Description = "JSON with Parameters:* values (default: the AppHost's user secrets).", DefaultValueFactory = _ => Bootstrap.DefaultSecretsFile };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be applied, secret values redacted; contact no server." };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long to wait for the in-cluster reconciler's first cycle.", DefaultValueFactory = _ => FirstCycleWait.DefaultTimeout };
        var ageKeyFile = new Option<string?>("--age-key-file") { Description = "age identities file (AGE-SECRET-KEY-1…): stored as Secret homelab-age-key in homelab-system for the reconciler, and decrypts homelab-system's SOPS-encrypted Secrets. Never printed." };
        var noWait = new Option<bool>("--no-wait") { Description = "Apply and return without waiting for the in-cluster reconciler's first cycle." };
        var bootstrap = new Command("bootstrap", "Create the out-of-band Secrets from the AppHost's parameters, apply homelab-system, then wait for the in-cluster reconciler's first cycle and print its outcome (exit 1 when it fails or does not come).")
        {
            repository, path, kubeconfig, secretsFile, ageKeyFile, dryRun, timeout, noWait,
        };
        bootstrap.SetAction((parse, cancellationToken) => Guard(error, () => BootstrapAsync(
            new BootstrapRequest(
                RepositoryRoot(parse.GetValue(repository)),
                parse.GetValue(path) ?? Settings()[$"{ReconcileOptions.Section}:{nameof(ReconcileOptions.Path)}"] ?? Homelab.Defaults.ReconcilerDefaults.Path,
                parse.GetValue(kubeconfig) ?? Settings()[$"{ReconcileOptions.Section}:{nameof(ReconcileOptions.Kubeconfig)}"],
                parse.GetValue(secretsFile)!,
                parse.GetValue(dryRun),
                parse.GetValue(noWait) ? null : parse.GetValue(timeout),
                parse.GetValue(ageKeyFile)),
            output,
            error,
            cancellationToken)));
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

        root.Subcommands.Add(Secrets.SecretsCommand.Create(output, error));

        var run = new Command("run", "Run the reconciler service (interval, endpoints, health). The default.");
        run.TreatUnmatchedTokensAsErrors = false;
        run.SetAction(parse => runService([.. parse.UnmatchedTokens]));
        root.Subcommands.Add(run);

        var invocation = new InvocationConfiguration { Output = output, Error = error };
        var parsed = root.Parse(args);
        return parsed.Errors.Count == 0 ? parsed.InvokeAsync(invocation) : UsageAsync(root, parsed, error);
    }

    /// <summary>A command line that does not parse (a mistyped verb, an unknown flag): the errors, the usage, exit 2.</summary>
    private static async Task<int> UsageAsync(RootCommand root, ParseResult parsed, TextWriter error)
    {
        foreach (var problem in parsed.Errors)
        {
            await error.WriteLineAsync($"error: {problem.Message}").ConfigureAwait(false);
        }

        var names = new List<string>();
        for (var command = parsed.CommandResult; command is not null && command.Command != root; command = command.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, command.Command.Name);
        }

        await root.Parse([.. names, "--help"]).InvokeAsync(new InvocationConfiguration { Output = error, Error = error }).ConfigureAwait(false);
        return 2;
    }

    /// <summary>
    /// Applies homelab-system for the in-cluster reconciler, refusing a tree that follows the placeholder repository,
    /// then waits for that reconciler's first cycle and prints its outcome. Only a reported, successful cycle says
    /// the cluster follows Git.
    /// </summary>
    private static async Task<int> BootstrapAsync(BootstrapRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var folder = $"{request.ClusterPath.TrimEnd('/')}/homelab-system";
        if (request.AgeKeyFile is not null && Bootstrap.KeyFileModeWarning(request.AgeKeyFile) is { } keyWarning)
        {
            await error.WriteLineAsync(keyWarning).ConfigureAwait(false);
        }

        var plan = Bootstrap.Plan(request.RepositoryRoot, request.ClusterPath, request.SecretsFile, request.AgeKeyFile);
        var reconciler = ReconcilerDeployment.Find(plan.FromGit, folder);
        if (request.DryRun)
        {
            await output.WriteAsync(Bootstrap.DryRun(plan.All)).ConfigureAwait(false);
            await error.WriteLineAsync($"dry run: would apply {plan.All.Count} objects").ConfigureAwait(false);
            if (reconciler.FollowsPlaceholder)
            {
                await error.WriteLineAsync($"dry run: bootstrap would refuse: {reconciler.PlaceholderRefusal(folder)}").ConfigureAwait(false);
            }

            return 0;
        }

        if (reconciler.FollowsPlaceholder)
        {
            await error.WriteLineAsync($"error: {reconciler.PlaceholderRefusal(folder)}").ConfigureAwait(false);
            return 2;
        }

        using var api = KubeApi.ConnectOrThrow(request.Kubeconfig);
        // The key the in-cluster reconciler will use for this source and path: its objects are then nobody else's.
        var owner = new InventoryOwner(api.Server.ToString(), reconciler.Source, reconciler.Path).Key;
        var changes = await Bootstrap.ApplyAsync(api, plan, owner, cancellationToken).ConfigureAwait(false);
        foreach (var change in changes.Changes)
        {
            await output.WriteLineAsync(change.ToString()).ConfigureAwait(false);
        }

        var follows = $"{Source.UrlRedactor.Redact(reconciler.Source)} ({reconciler.Ref}, {reconciler.Path})";
        if (request.Timeout is not { } timeout)
        {
            await output.WriteLineAsync($"applied: the reconciler in {reconciler.Namespace} is to follow {follows}; not waiting for its first cycle (--no-wait)").ConfigureAwait(false);
            return 0;
        }

        await error.WriteLineAsync($"waiting up to {timeout:c} for the reconciler in {reconciler.Namespace} to report its first cycle of {follows}").ConfigureAwait(false);
        var cycle = await FirstCycleWait.WaitAsync(api, reconciler, timeout, TimeSpan.FromSeconds(2), error, cancellationToken).ConfigureAwait(false);
        if (!cycle.Reported)
        {
            await output.WriteLineAsync($"bootstrap: the reconciler did not report a cycle: {cycle.Message}").ConfigureAwait(false);
            return 1;
        }

        await output.WriteLineAsync($"revision: {cycle.Revision ?? "-"}").ConfigureAwait(false);
        await output.WriteLineAsync($"{cycle.Reason}: {cycle.Message}").ConfigureAwait(false);
        await output.WriteLineAsync(cycle.Ready
            ? $"bootstrapped: the reconciler in {reconciler.Namespace} now follows {follows}"
            : $"bootstrap: the reconciler's first cycle failed ({cycle.Reason}); it retries on its own, fix the cause and push").ConfigureAwait(false);
        return cycle.Ready ? 0 : 1;
    }

    /// <summary>The repository bootstrap reads: <paramref name="given"/>, else the Git repository holding the current directory.</summary>
    private static string RepositoryRoot(string? given) =>
        given is { Length: > 0 } ? Path.GetFullPath(given)
        : BuildRoot.EnclosingRepository(Environment.CurrentDirectory)
            ?? throw new IOException($"{Environment.CurrentDirectory} is not inside a Git repository: run bootstrap from your clone of the repository, or pass --repository");

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

    /// <summary><c>Reconciler:*</c> from <paramref name="configuration"/>, the flags the user passed over it, checked.</summary>
    private static ReconcileOptions Options(ParseResult parse, Microsoft.Extensions.Configuration.IConfiguration configuration, Option<string?> source, Option<string?> reference, Option<string?> path, Option<string?> kubeconfig, Option<string?> state, Option<string?> tokenFile, Option<string?> caFile)
    {
        var options = CliSettings.Resolve(configuration, options =>
        {
            options.Source = parse.GetValue(source) ?? options.Source;
            options.Ref = parse.GetValue(reference) ?? options.Ref;
            options.Path = parse.GetValue(path) ?? options.Path;
            options.Kubeconfig = parse.GetValue(kubeconfig) ?? options.Kubeconfig;
            options.StateDirectory = parse.GetValue(state) is { Length: > 0 } directory ? directory : options.StateDirectory;
            options.TokenFile = parse.GetValue(tokenFile) ?? options.TokenFile;
            options.CaFile = parse.GetValue(caFile) ?? options.CaFile;
        });
        return string.IsNullOrWhiteSpace(options.Source)
            ? throw new Microsoft.Extensions.Options.OptionsValidationException(nameof(ReconcileOptions), typeof(ReconcileOptions), [$"{ReconcileOptions.Section}:{nameof(ReconcileOptions.Source)} is not set: pass --source or set {ReconcileOptions.Section}__{nameof(ReconcileOptions.Source)}"])
            : options;
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
