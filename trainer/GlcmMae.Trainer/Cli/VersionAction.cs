using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using GlcmMae.Shared.Inference;
using GlcmMae.Trainer.Torch;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli;

/// <summary>Replaces the built-in --version output with versions of the native runtimes and the devices they see.</summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        var console = ConsoleOutput.Create(parseResult);
        var informational = typeof(VersionAction).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

        var table = new Table().Border(TableBorder.Rounded).AddColumn("component").AddColumn("version / status");
        table.AddRow("glcmmae", Markup.Escape(informational));
        table.AddRow(".NET", Markup.Escape(Environment.Version.ToString()));

        var exitCode = 0;
        try
        {
            table.AddRow("TorchSharp", Markup.Escape(TorchEnvironment.TorchSharpVersion));
            table.AddRow("libtorch", Markup.Escape(TorchEnvironment.LibTorchVersion));
            var cuda = TorchEnvironment.CudaDeviceCount;
            table.AddRow("torch devices", cuda > 0
                ? $"cpu ({TorchEnvironment.CpuThreads} threads), cuda x{cuda}{(TorchEnvironment.CudnnAvailable ? " + cuDNN" : string.Empty)}"
                : $"cpu ({TorchEnvironment.CpuThreads} threads); no CUDA device");
        }
        catch (Exception ex) when (ex is TypeInitializationException or NotSupportedException or DllNotFoundException)
        {
            table.AddRow("libtorch", $"[red]failed to load[/]: {Markup.Escape(ex.GetBaseException().Message.Split('\n')[0])}");
            exitCode = 1;
        }

        table.AddRow("ONNX Runtime", Markup.Escape(ExecutionProviderProbe.RuntimeVersion));
        foreach (var provider in ExecutionProviderProbe.Probe())
        {
            var state = provider.IsUsable ? "[green]usable[/]" : "[yellow]not usable[/]";
            table.AddRow($"onnxruntime {provider.Provider.ToString().ToLowerInvariant()}", $"{state}: {Markup.Escape(provider.Detail)}");
        }

        console.Write(table);
        return exitCode;
    }
}
