using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Storage;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Models;

/// <summary>The behaviour every registry store must have; run against the local folder and against Azurite.</summary>
public abstract class ModelRegistryContract
{
    protected abstract Task<IBlobStore> CreateStoreAsync();

    [Fact]
    public async Task Publish_list_load_and_immutability()
    {
        using var temp = new TempFolder();
        var registry = new ModelRegistry(await CreateStoreAsync());
        var (manifest, onnx) = await FakeModelAsync(temp, "v1", 1000);
        var report = temp.File("report.html");
        await File.WriteAllTextAsync(report, "<html></html>");

        await registry.PublishAsync(manifest, onnx, new Dictionary<string, string> { ["report.html"] = report });

        Assert.Equal(["v1"], await registry.ListVersionsAsync("demo"));
        Assert.Equal(["demo"], await registry.ListNamesAsync());
        var loaded = await registry.LoadAsync("demo", "v1");
        Assert.Equal(await File.ReadAllBytesAsync(onnx), loaded.Onnx);
        Assert.Equal(["a", "b"], loaded.Manifest.Labels);
        Assert.NotNull(await registry.Store.TryReadAsync("demo/v1/report/report.html"));
        var again = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.PublishAsync(manifest, onnx, null));
        Assert.Equal("VersionExists", again.ErrorCode);
    }

    [Fact]
    public async Task A_corrupted_model_is_refused_on_load()
    {
        using var temp = new TempFolder();
        var store = await CreateStoreAsync();
        var registry = new ModelRegistry(store);
        var (manifest, onnx) = await FakeModelAsync(temp, "v1", 100);
        await registry.PublishAsync(manifest, onnx, null);

        var bytes = await File.ReadAllBytesAsync(onnx);
        bytes[10] ^= 0xFF;
        using (var corrupted = new MemoryStream(bytes))
        {
            await store.WriteAsync("demo/v1/model.onnx", corrupted, BlobWriteCondition.None);
        }

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.LoadAsync("demo", "v1"));
        Assert.Equal("ModelCorrupt", error.ErrorCode);
        await Assert.ThrowsAsync<ModelRegistryException>(() => registry.PromoteAsync("demo", "v1", new PromotionNote("test", "tests")));
    }

    [Fact]
    public async Task Promote_and_rollback_keep_a_history_and_a_stale_etag_loses()
    {
        using var temp = new TempFolder();
        var store = await CreateStoreAsync();
        var registry = new ModelRegistry(store);
        foreach (var version in new[] { "v1", "v2", "v3" })
        {
            var (manifest, onnx) = await FakeModelAsync(temp, version, 64);
            await registry.PublishAsync(manifest, onnx, null);
        }

        await registry.PromoteAsync("demo", "v1", new PromotionNote("first", "tests"));
        await registry.PromoteAsync("demo", "v2", new PromotionNote("better", "tests"));
        var stale = (await registry.GetCurrentAsync("demo"))!.Value.ETag;
        await registry.PromoteAsync("demo", "v3", new PromotionNote("best", "tests"));

        Assert.Equal(["v1", "v2"], (await registry.GetCurrentAsync("demo"))!.Value.Current.Previous);
        using (var late = new MemoryStream("{\"version\":\"v1\"}"u8.ToArray()))
        {
            await Assert.ThrowsAsync<BlobConditionFailedException>(() => store.WriteAsync("demo/current.json", late, BlobWriteCondition.Matching(stale)));
        }

        var back = await registry.RollbackAsync("demo", "tests");
        Assert.Equal("v2", back.Version);
        Assert.Equal(["v1"], back.Previous);
        Assert.Equal("v1", (await registry.RollbackAsync("demo", "tests")).Version);
        Assert.Equal("NothingToRollBack", (await Assert.ThrowsAsync<ModelRegistryException>(() => registry.RollbackAsync("demo", "tests"))).ErrorCode);
    }

    [Fact]
    public async Task Every_decision_is_recorded_with_who_why_and_the_figures()
    {
        using var temp = new TempFolder();
        var registry = new ModelRegistry(await CreateStoreAsync());
        foreach (var version in new[] { "v1", "v2", "v3" })
        {
            var (manifest, onnx) = await FakeModelAsync(temp, version, 64);
            await registry.PublishAsync(manifest, onnx, null);
        }

        Assert.False(await registry.RecordRefusalAsync("demo", "v1", new PromotionNote("nothing serves yet", "publish gate")));
        await registry.PromoteAsync("demo", "v1", new PromotionNote("first model of this name", "publish gate"));
        var comparison = new ChampionComparison
        {
            Metric = "balancedAccuracy",
            ChampionVersion = "v1",
            Candidate = 0.70,
            Champion = 0.80,
            Difference = -0.10,
            Lower = -0.15,
            Upper = -0.05,
            Level = 0.95,
            Tolerance = 0.02,
            Images = 120,
            Groups = 60,
            Resamples = 2000,
        };
        Assert.True(await registry.RecordRefusalAsync("demo", "v2", new PromotionNote("worse than the serving model", "publish gate", comparison)));
        await registry.PromoteAsync("demo", "v3", new PromotionNote("promoted by hand", "dr-who"));
        await registry.RollbackAsync("demo", "on-call");

        var current = (await registry.GetCurrentAsync("demo"))!.Value.Current;
        Assert.Equal("v1", current.Version);
        Assert.Equal("on-call", current.PromotedBy);
        Assert.Equal(
            [("v1", ModelDecision.Promoted, "publish gate"), ("v2", ModelDecision.Refused, "publish gate"), ("v3", ModelDecision.Promoted, "dr-who"), ("v1", ModelDecision.RolledBack, "on-call")],
            current.History.Select(h => (h.Version, h.Decision, h.By)));
        Assert.Equal(comparison, current.History[1].Comparison);
        var json = System.Text.Encoding.UTF8.GetString((await registry.Store.TryReadAsync("demo/current.json"))!.Data);
        Assert.Contains("\"decision\": \"Refused\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_attached_to_a_version_are_written_once_and_read_back()
    {
        using var temp = new TempFolder();
        var registry = new ModelRegistry(await CreateStoreAsync());
        var (manifest, onnx) = await FakeModelAsync(temp, "v1", 64);
        var lineage = temp.File("data.jsonl");
        await File.WriteAllTextAsync(lineage, "{}\n");
        await registry.PublishAsync(manifest, onnx, null, new Dictionary<string, string> { ["data.jsonl"] = lineage });

        await registry.AttachAsync("demo", "v1", "card.md", "# card"u8.ToArray());

        Assert.Equal("{}\n"u8.ToArray(), await registry.TryReadAttachmentAsync("demo", "v1", "data.jsonl"));
        Assert.Equal("# card"u8.ToArray(), await registry.TryReadAttachmentAsync("demo", "v1", "card.md"));
        Assert.Null(await registry.TryReadAttachmentAsync("demo", "v1", "card.json"));
        Assert.Equal("VersionExists", (await Assert.ThrowsAsync<ModelRegistryException>(() => registry.AttachAsync("demo", "v1", "card.md", "# other"u8.ToArray()))).ErrorCode);
        Assert.Equal("InvalidName", (await Assert.ThrowsAsync<ModelRegistryException>(() => registry.AttachAsync("demo", "v1", "manifest.json", "{}"u8.ToArray()))).ErrorCode);
        Assert.Equal("InvalidName", (await Assert.ThrowsAsync<ModelRegistryException>(() => registry.AttachAsync("demo", "v1", "../v2/card.md", "x"u8.ToArray()))).ErrorCode);
        Assert.Equal("VersionNotFound", (await Assert.ThrowsAsync<ModelRegistryException>(() => registry.AttachAsync("demo", "v9", "card.md", "x"u8.ToArray()))).ErrorCode);
    }

    [Fact]
    public async Task Concurrent_promotions_never_both_win_silently()
    {
        using var temp = new TempFolder();
        var store = await CreateStoreAsync();
        var registry = new ModelRegistry(store);
        var versions = Enumerable.Range(0, 8).Select(i => $"v{i}").ToArray();
        foreach (var version in versions)
        {
            var (manifest, onnx) = await FakeModelAsync(temp, version, 32);
            await registry.PublishAsync(manifest, onnx, null);
        }

        await registry.PromoteAsync("demo", "v0", new PromotionNote("start", "tests"));
        var start = new TaskCompletionSource();
        var racers = versions.Skip(1).Select(async v =>
        {
            await start.Task;
            try
            {
                await registry.PromoteAsync("demo", v, new PromotionNote("race", "tests"));
                return v;
            }
            catch (ModelRegistryException exception) when (exception.ErrorCode == "PromotionConflict")
            {
                return null;
            }
        }).ToArray();
        start.SetResult();
        var winners = (await Task.WhenAll(racers)).OfType<string>().ToArray();

        Assert.NotEmpty(winners);
        var current = (await registry.GetCurrentAsync("demo"))!.Value.Current;
        // Every winner's promotion is recorded: the last one is current and the others sit in its history, none overwritten.
        Assert.Contains(current.Version, winners);
        Assert.Equal(winners.Length, current.Previous.Count(v => v != "v0") + 1);
    }

    protected static async Task<(ModelManifest Manifest, string Onnx)> FakeModelAsync(TempFolder temp, string version, int bytes)
    {
        var path = temp.File($"{version}.onnx");
        var data = new byte[bytes];
        new Random(version.GetHashCode(StringComparison.Ordinal)).NextBytes(data);
        await File.WriteAllBytesAsync(path, data);
        var manifest = new ModelManifest
        {
            Name = "demo",
            Version = version,
            Created = DateTimeOffset.UtcNow,
            Labels = ["a", "b"],
            InputName = "pixels",
            InputShape = [-1, 1, 32, 32],
            OutputNames = ["logits", "probabilities"],
            Preprocessing = new JsonObject { ["cropSize"] = 32 },
            PreprocessingHash = "00",
            Opset = 17,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(data)),
        };
        return (manifest, path);
    }
}
