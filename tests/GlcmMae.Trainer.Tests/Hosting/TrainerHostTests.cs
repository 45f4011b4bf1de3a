using System.Diagnostics;
using GlcmMae.Shared.Diagnostics;
using GlcmMae.Trainer.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace GlcmMae.Trainer.Tests.Hosting;

public sealed class TrainerHostTests
{
    [Fact]
    public async Task Host_traces_the_glcmmae_activity_source()
    {
        var exported = new List<Activity>();
        using var host = TrainerHost.Build(
            new Dictionary<string, string?>(),
            services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported)));
        await host.StartAsync();

        using (GlcmMaeTelemetry.ActivitySource.StartActivity("unit-of-work"))
        {
        }

        await host.StopAsync();
        Assert.Contains(exported, a => a.DisplayName == "unit-of-work");
    }

    [Fact]
    public void Command_line_settings_override_the_environment()
    {
        Environment.SetEnvironmentVariable("GLCMMAE_Telemetry__ConsoleExporter", "true");
        try
        {
            using var host = TrainerHost.Build(new Dictionary<string, string?> { ["Telemetry:ConsoleExporter"] = "false" });

            Assert.False(host.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.ConsoleExporter);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GLCMMAE_Telemetry__ConsoleExporter", null);
        }
    }
}
