using Homelab.Reconciler.Cli;
using Homelab.Reconciler.Host;

// A first word that is no setting is a verb (a mistyped one gets usage and exit 2); no arguments, or settings only
// (`--Reconciler:Interval=…`, `--urls …`), start the service.
return CliApplication.IsCommand(args)
    ? await CliApplication.RunAsync(args, Console.Out, Console.Error, ReconcilerService.RunAsync)
    : await ReconcilerService.RunAsync(args);
