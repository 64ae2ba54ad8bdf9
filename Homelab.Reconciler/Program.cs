using Homelab.Reconciler.Cli;
using Homelab.Reconciler.Service;

// A verb or a help/version flag runs the CLI; no verb (or `run`) starts the service, settings
// (`--Reconciler:Interval=…`, `--urls …`) included.
return args.Length > 0 && (CliApplication.Verbs.Contains(args[0]) || args[0] is "-h" or "-?" or "--help" or "--version")
    ? await CliApplication.RunAsync(args, Console.Out, Console.Error, ReconcilerService.RunAsync)
    : await ReconcilerService.RunAsync(args);
