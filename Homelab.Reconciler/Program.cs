using Homelab.Reconciler.Cli;
using Homelab.Reconciler.Service;

// A verb runs the CLI; no verb (or `run`) starts the service.
return args.Length > 0 && (CliApplication.Verbs.Contains(args[0]) || args[0].StartsWith('-'))
    ? await CliApplication.RunAsync(args, Console.Out, Console.Error, ReconcilerService.RunAsync)
    : await ReconcilerService.RunAsync(args);
