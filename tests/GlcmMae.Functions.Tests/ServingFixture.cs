using GlcmMae.Functions.Http;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Storage;
using GlcmMae.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace GlcmMae.Functions.Tests;

/// <summary>A local registry with a promoted test model, a pipeline over it and a file topic, for function tests.</summary>
internal sealed class ServingFixture : IAsyncDisposable
{
    private readonly TempFolder _temp = new();

    private ServingFixture(ServingOptions serving)
    {
        Registry = new ModelRegistry(new LocalFolderBlobStore(Path.Combine(_temp.Path, "models")));
        Options = Microsoft.Extensions.Options.Options.Create(serving);
        Host = new ModelHost(Registry, Options, NullLogger<ModelHost>.Instance);
        Pipeline = new ScanPipeline(Host, Options, NullLogger<ScanPipeline>.Instance);
        Topics = new FileTopicPublisher(Path.Combine(_temp.Path, "topics"));
    }

    public ModelRegistry Registry { get; }

    public IOptions<ServingOptions> Options { get; }

    public ModelHost Host { get; }

    public ScanPipeline Pipeline { get; }

    public FileTopicPublisher Topics { get; }

    public static async Task<ServingFixture> CreateAsync(long maxScanBytes = 1 << 20, bool explain = false)
    {
        var fixture = new ServingFixture(new ServingOptions { ModelName = "demo", ExecutionProvider = ExecutionProviderChoice.Cpu, MaxScanBytes = maxScanBytes, Explain = explain });
        await TestModels.PublishAsync(fixture.Registry, "demo", "v1");
        return fixture;
    }

    public string[] Published(string topic)
    {
        var folder = Path.Combine(Topics.Root, topic);
        return Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
    }

    public static byte[] Png(byte level)
    {
        using var image = new Image<L8>(40, 40, new L8(level));
        image[0, 0] = new L8(0);
        image[1, 0] = new L8(255);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _temp.Dispose();
    }
}
