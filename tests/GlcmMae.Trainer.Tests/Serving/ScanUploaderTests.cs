using System.Text.Json;
using Azure.Storage.Queues;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Storage;
using GlcmMae.Testing;
using GlcmMae.Trainer.Serving;
using GlcmMae.Trainer.Tests.Cli;

namespace GlcmMae.Trainer.Tests.Serving;

// With the quickstart's Azurite test: both set the process-wide storage variable the command reads.
[Collection(TorchCollection.Name)]
public sealed class ScanUploaderTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public void Folders_keep_their_relative_paths_files_their_names_under_the_prefix_in_ordinal_order()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("study/series-2"));
        File.WriteAllBytes(temp.File("study/series-2/b.dcm"), [1]);
        File.WriteAllBytes(temp.File("study/a.png"), [2]);
        File.WriteAllBytes(temp.File("single.dcm"), [3]);

        var files = ScanUploader.Expand([temp.File("study"), temp.File("single.dcm")], "/site-1/");

        Assert.Equal(["site-1/a.png", "site-1/series-2/b.dcm", "site-1/single.dcm"], files.Select(f => f.BlobName));
        Assert.Equal(temp.File("study/series-2/b.dcm"), files[1].Path);
        Assert.Equal(["a.png", "series-2/b.dcm"], ScanUploader.Expand([temp.File("study")], string.Empty).Select(f => f.BlobName));
    }

    [Fact]
    public void Missing_paths_empty_folders_and_clashing_blob_names_are_refused_with_what_to_do()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("empty"));
        Directory.CreateDirectory(temp.File("other"));
        File.WriteAllBytes(temp.File("scan.dcm"), [1]);
        File.WriteAllBytes(temp.File("other/scan.dcm"), [2]);

        Assert.Throws<FileNotFoundException>(() => ScanUploader.Expand([temp.File("nowhere.dcm")], string.Empty));
        Assert.Contains("no files", Assert.Throws<ArgumentException>(() => ScanUploader.Expand([temp.File("empty")], string.Empty)).Message, StringComparison.Ordinal);
        var clash = Assert.Throws<ArgumentException>(() => ScanUploader.Expand([temp.File("scan.dcm"), temp.File("other")], string.Empty));
        Assert.Contains("--prefix", clash.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uploads_replace_blobs_and_announce_each_version_as_event_grid_would()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("a.png"), [1, 2, 3]);
        File.WriteAllBytes(temp.File("b.dcm"), [4, 5]);
        var container = azurite.CreateBlobServiceClient().GetBlobContainerClient("scans-" + Guid.NewGuid().ToString("N")[..12]);
        var queue = new QueueClient(azurite.ConnectionString, "events-" + Guid.NewGuid().ToString("N")[..12], new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var files = ScanUploader.Expand([temp.Path], "p");

        var first = await ScanUploader.UploadAsync(container, queue, files, null, ScanEventSchema.CloudEvents, ScanEventEncoding.Base64, CancellationToken.None);
        File.WriteAllBytes(temp.File("a.png"), [9]);
        var second = await ScanUploader.UploadAsync(container, null, ScanUploader.Expand([temp.File("a.png")], "p"), null, ScanEventSchema.EventGrid, ScanEventEncoding.Plain, CancellationToken.None);

        Assert.Equal(["p/a.png", "p/b.dcm"], first.Select(u => u.BlobName));
        Assert.Equal([3L, 2L], first.Select(u => u.Bytes));
        Assert.All(first, u => Assert.True(u.Announced));
        Assert.False(second.Single().Announced);
        Assert.Equal([9], (await container.GetBlobClient("p/a.png").DownloadContentAsync()).Value.Content.ToArray());
        Assert.NotEqual(first[0].ETag, second[0].ETag);

        var messages = (await queue.ReceiveMessagesAsync(10)).Value;
        Assert.Equal(2, messages.Length);
        // Written as asked: base64 of a CloudEvents 1.0 event.
        Assert.All(messages, m => Assert.Contains("\"specversion\":\"1.0\"", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(m.Body.ToString())), StringComparison.Ordinal));
        var events = messages.Select(m => ScanEventMessage.Parse(m.Body.ToString()).Created.Single()).OrderBy(e => e.Url.AbsolutePath, StringComparer.Ordinal).ToArray();
        Assert.Equal([container.GetBlobClient("p/a.png").Uri, container.GetBlobClient("p/b.dcm").Uri], events.Select(e => e.Url));
        Assert.Equal(first.Select(u => u.ETag), events.Select(e => e.ETag));
    }

    [Fact]
    public async Task The_upload_command_sends_scans_to_the_scans_container_and_their_events_to_scan_events()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("scan.png"), [1, 2]);
        var prefix = "cli-" + Guid.NewGuid().ToString("N")[..12];
        Environment.SetEnvironmentVariable("GLCMMAE_Storage__ConnectionString", azurite.ConnectionString);
        try
        {
            var (exitCode, output, error) = await CliInvoker.InvokeAsync("upload", temp.Path, "--prefix", prefix, "--announce", "--json");
            var (missingExit, _, missingError) = await CliInvoker.InvokeAsync("upload", temp.File("nowhere.png"));

            Assert.True(exitCode == 0, output + error);
            var row = JsonDocument.Parse(output).RootElement.EnumerateArray().Single();
            Assert.Equal(($"{prefix}/scan.png", true), (row.GetProperty("blobName").GetString(), row.GetProperty("announced").GetBoolean()));
            Assert.True((await azurite.CreateBlobServiceClient().GetBlobContainerClient("scans").GetBlobClient($"{prefix}/scan.png").ExistsAsync()).Value);
            var queue = new QueueClient(azurite.ConnectionString, "scan-events", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
            var announced = (await queue.PeekMessagesAsync(32)).Value.SelectMany(m => ScanEventMessage.Parse(m.Body.ToString()).Created);
            Assert.Contains(announced, e => e.Url.AbsolutePath.EndsWith($"/scans/{prefix}/scan.png", StringComparison.Ordinal));
            Assert.Equal(2, missingExit);
            Assert.Contains("neither a file nor a folder", missingError, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GLCMMAE_Storage__ConnectionString", null);
        }
    }
}
