using GlcmMae.Rehearsal.Storage;
using GlcmMae.Shared.Storage;

namespace GlcmMae.Trainer.Hosting;

/// <summary>A local Azurite for <c>quickstart --with-azurite</c>: the one already configured, or one started here.</summary>
internal sealed class LocalAzurite : IAsyncDisposable
{
    private readonly AzuriteProcess? _process;

    private LocalAzurite(string connectionString, AzuriteProcess? process)
    {
        ConnectionString = connectionString;
        _process = process;
    }

    /// <summary>Connection string of the Azurite in use (the public development key, not a secret).</summary>
    public string ConnectionString { get; }

    /// <summary>True when this process started Azurite (and stops it on dispose).</summary>
    public bool Started => _process is not null;

    /// <summary>True when an Azurite is configured or can be started.</summary>
    public static bool IsAvailable => TrainerSettings.Connections().StorageConnectionString is not null || AzuriteProcess.Locate() is not null;

    /// <summary>The connections to use: these settings with Azurite's connection string for storage.</summary>
    public AzureConnections Connections => TrainerSettings.Connections().WithStorage(ConnectionString);

    /// <summary>Uses <c>Storage:ConnectionString</c> when set; otherwise starts Azurite (<see cref="AzuriteProcess.Locate"/>) on free ports.</summary>
    /// <exception cref="StorageNotConfiguredException">There is no Azurite to start, or it did not start.</exception>
    public static async Task<LocalAzurite> StartAsync(CancellationToken cancellationToken)
    {
        if (TrainerSettings.Connections().StorageConnectionString is { } existing)
        {
            return new LocalAzurite(existing, null);
        }

        var executable = AzuriteProcess.Locate() ?? throw new StorageNotConfiguredException(NotFound);
        try
        {
            var process = await AzuriteProcess.StartAsync(executable, Directory.CreateTempSubdirectory("glcmmae-azurite-").FullName, cancellationToken).ConfigureAwait(false);
            return new LocalAzurite(process.ConnectionString, process);
        }
        catch (InvalidOperationException exception)
        {
            throw new StorageNotConfiguredException($"Azurite ({executable}) did not start: {exception.Message}");
        }
    }

    /// <summary>What to do when no Azurite can be found.</summary>
    public const string NotFound =
        "Azurite was not found: run npm ci in tests/ (the pinned version), install it (npm install -g azurite), or point Storage:ConnectionString (GLCMMAE_Storage__ConnectionString) at a running one.";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync().ConfigureAwait(false);
        }
    }
}
