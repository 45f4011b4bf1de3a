using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using GlcmMae.Rehearsal.Storage;
using Xunit;

namespace GlcmMae.Testing;

/// <summary>Starts the pinned Azurite (blob, queue, table) on free loopback ports with a temporary data folder, and stops it.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>The well-known development account that Azurite serves.</summary>
    public const string AccountName = AzuriteProcess.AccountName;

    private AzuriteProcess? _azurite;

    /// <summary>Port of the blob service.</summary>
    public int BlobPort => Process.BlobPort;

    /// <summary>Port of the queue service.</summary>
    public int QueuePort => Process.QueuePort;

    /// <summary>A storage connection string for this Azurite instance.</summary>
    public string ConnectionString => Process.ConnectionString;

    /// <summary>The running Azurite, for tests that stop or restart it.</summary>
    public AzuriteProcess Process => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    /// <summary>A blob client for this instance.</summary>
    public BlobServiceClient CreateBlobServiceClient() => new(ConnectionString);

    /// <summary>A queue client for this instance.</summary>
    public QueueServiceClient CreateQueueServiceClient() => new(ConnectionString);

    /// <summary>A table client for this instance.</summary>
    public Azure.Data.Tables.TableServiceClient CreateTableServiceClient() => new(ConnectionString);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var azurite = await NodeTools.EnsureAsync("azurite").ConfigureAwait(false);
        _azurite = await AzuriteProcess.StartAsync(azurite, Directory.CreateTempSubdirectory("azurite-").FullName).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync().ConfigureAwait(false);
        }
    }
}
