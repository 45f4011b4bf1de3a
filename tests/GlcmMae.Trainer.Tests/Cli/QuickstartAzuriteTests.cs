using System.Text.Json;
using GlcmMae.Shared.Storage;
using GlcmMae.Testing;

namespace GlcmMae.Trainer.Tests.Cli;

[Collection(TorchCollection.Name)]
public sealed class QuickstartAzuriteTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Quickstart_with_azurite_publishes_to_blob_storage_and_serves_through_the_queue()
    {
        using var folder = new TempFolder();
        Environment.SetEnvironmentVariable("GLCMMAE_Storage__ConnectionString", azurite.ConnectionString);
        try
        {
            var (exitCode, output, error) = await CliInvoker.InvokeAsync("quickstart", "--json", "--quick", "--threads", "2", "--root", folder.Path, "--with-azurite");

            Assert.True(exitCode == 0, output + error);
            using var report = JsonDocument.Parse(output);
            var serving = report.RootElement.GetProperty("serving");
            Assert.StartsWith("Azurite", serving.GetProperty("transport").GetString(), StringComparison.Ordinal);
            Assert.Equal(10, serving.GetProperty("outcomes").GetArrayLength());
            var models = azurite.CreateBlobServiceClient().GetBlobContainerClient("models");
            var names = new List<string>();
            await foreach (var blob in models.GetBlobsAsync())
            {
                names.Add(blob.Name);
            }

            Assert.Contains("quickstart/current.json", names);
            Assert.Equal(0, (await azurite.CreateQueueServiceClient().GetQueueClient("scan-events").GetPropertiesAsync()).Value.ApproximateMessagesCount);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GLCMMAE_Storage__ConnectionString", null);
        }
    }
}
