using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Testing;
using GlcmMae.Trainer.Hosting;
using GlcmMae.Trainer.Serving;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GlcmMae.Trainer.Tests.Hosting;

public sealed class TrainerSettingsTests
{
    [Fact]
    public void The_command_line_wins_over_the_environment_which_wins_over_the_settings_file_and_unset_values_hide_nothing()
    {
        // A section of its own, so that no other test running meanwhile reads these variables.
        var section = "SettingsTest" + Guid.NewGuid().ToString("N");
        using var temp = new TempFolder();
        var file = temp.File("glcmmae.json");
        File.WriteAllText(file, $$"""{ "{{section}}": { "FromFile": "file", "FileAndEnvironment": "file", "All": "file", "FileAndUnset": "file" } }""");
        Environment.SetEnvironmentVariable($"GLCMMAE_{section}__FileAndEnvironment", "environment");
        Environment.SetEnvironmentVariable($"GLCMMAE_{section}__All", "environment");
        try
        {
            var configuration = new ConfigurationBuilder().AddGlcmMaeSettings(
                new Dictionary<string, string?> { [$"{section}:All"] = "command line", [$"{section}:FileAndUnset"] = null },
                file).Build().GetSection(section);

            Assert.Equal("file", configuration["FromFile"]);
            Assert.Equal("environment", configuration["FileAndEnvironment"]);
            Assert.Equal("command line", configuration["All"]);
            Assert.Equal("file", configuration["FileAndUnset"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable($"GLCMMAE_{section}__FileAndEnvironment", null);
            Environment.SetEnvironmentVariable($"GLCMMAE_{section}__All", null);
        }
    }

    [Fact]
    public async Task Serve_and_classify_read_inference_settings_from_the_environment_and_options_given_on_the_command_line()
    {
        using var temp = new TempFolder();
        // Just below the default limit: harmless to any other test that serves while this variable is set.
        const long limit = (256L * 1024 * 1024) - 1;
        Environment.SetEnvironmentVariable("GLCMMAE_Inference__MaxScanBytes", $"{limit}");
        try
        {
            await using (var services = ServingEnvironment.Create(ModelStoreKind.Local, temp.Path, "demo", OutcomeTransport.File, null, null, LogLevel.None))
            {
                var serving = services.GetRequiredService<IOptions<ServingOptions>>().Value;
                Assert.Equal((limit, ExecutionProviderChoice.Auto, (bool?)null, "demo"), (serving.MaxScanBytes, serving.ExecutionProvider, serving.MicroBatching, serving.ModelName));
            }

            await using (var services = ServingEnvironment.Create(ModelStoreKind.Local, temp.Path, "demo", OutcomeTransport.File, ExecutionProviderChoice.Cpu, true, LogLevel.None))
            {
                var serving = services.GetRequiredService<IOptions<ServingOptions>>().Value;
                Assert.Equal((limit, ExecutionProviderChoice.Cpu, (bool?)true), (serving.MaxScanBytes, serving.ExecutionProvider, serving.MicroBatching));
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("GLCMMAE_Inference__MaxScanBytes", null);
        }
    }
}
