using System.Security.Cryptography;
using System.Text.Json;
using GlcmMae.Shared.Privacy;

namespace GlcmMae.Trainer.Tests.Cli;

public sealed class PseudonymCommandTests
{
    [Fact]
    public async Task It_prints_the_pseudonyms_serving_publishes_and_refuses_without_a_key()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        Environment.SetEnvironmentVariable("GLCMMAE_Privacy__Key", Convert.ToBase64String(key));
        try
        {
            var (exitCode, output, error) = await CliInvoker.InvokeAsync("pseudonym", "Doe_Jane/0001.dcm", "1.2.840.1", "--json");

            Assert.True(exitCode == 0, error);
            using var pairs = JsonDocument.Parse(output);
            var expected = new Pseudonymiser(key);
            Assert.Equal(
                [expected.Pseudonym("Doe_Jane/0001.dcm"), expected.Pseudonym("1.2.840.1")],
                pairs.RootElement.EnumerateArray().Select(p => p.GetProperty("pseudonym").GetString()));
        }
        finally
        {
            Environment.SetEnvironmentVariable("GLCMMAE_Privacy__Key", null);
        }

        var (refused, _, refusal) = await CliInvoker.InvokeAsync("pseudonym", "x");
        Assert.NotEqual(0, refused);
        Assert.Contains("GLCMMAE_Privacy__Key", refusal, StringComparison.Ordinal);
    }
}
