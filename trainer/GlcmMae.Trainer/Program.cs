using GlcmMae.Trainer.Cli;
using GlcmMae.Trainer.Hosting;
using GlcmMae.Trainer.Torch;
using Microsoft.Extensions.Hosting;

// Before anything loads libtorch: its OpenMP threads must not busy-wait through the .NET texture kernels.
OpenMpSpin.Apply();

// The host owns logging and the OpenTelemetry providers for the whole run; commands report through them.
using var host = TrainerHost.Build(new Dictionary<string, string?>());
await host.StartAsync().ConfigureAwait(false);
var exitCode = await GlcmMaeCommandLine.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
await host.StopAsync().ConfigureAwait(false);
return exitCode;
