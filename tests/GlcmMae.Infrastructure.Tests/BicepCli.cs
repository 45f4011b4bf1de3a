using System.Diagnostics;
using System.Reflection;
using GlcmMae.Testing;

namespace GlcmMae.Infrastructure.Tests;

/// <summary>The Bicep compiler restored from NuGet (Azure.Bicep.CommandLine.linux-x64).</summary>
public static class BicepCli
{
    private static readonly Lazy<string> Binary = new(Locate);

    /// <summary>The infra/ folder of the checkout.</summary>
    public static string InfraFolder => Path.Combine(RepositoryPaths.Root, "infra");

    /// <summary>Runs bicep; returns exit code, standard output and standard error.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Binary.Value)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = InfraFolder,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Keep the compiler offline and quiet: no telemetry, no update checks.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    private static string Locate()
    {
        var folder = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCli").Value!;
        var binary = Path.Combine(folder, "tools", "bicep");
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"The Bicep CLI is missing at {binary}; restore tests/GlcmMae.Infrastructure.Tests.");
        }

        // NuGet does not keep the executable bit.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(binary, File.GetUnixFileMode(binary) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return binary;
    }
}
