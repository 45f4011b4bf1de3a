using GlcmMae.Trainer.Cli;

return await GlcmMaeCommandLine.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
