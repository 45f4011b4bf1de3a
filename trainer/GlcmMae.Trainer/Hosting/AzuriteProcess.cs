using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GlcmMae.Shared.Storage;

namespace GlcmMae.Trainer.Hosting;

/// <summary>A local Azurite (blob + queue) for <c>quickstart --with-azurite</c>: the one already configured, or one started here.</summary>
internal sealed class AzuriteProcess : IDisposable
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process? _process;
    private readonly string? _folder;

    private AzuriteProcess(string connectionString, Process? process, string? folder)
    {
        ConnectionString = connectionString;
        _process = process;
        _folder = folder;
    }

    /// <summary>Connection string of the Azurite in use (the public development key, not a secret).</summary>
    public string ConnectionString { get; }

    /// <summary>True when this process started Azurite (and stops it on dispose).</summary>
    public bool Started => _process is not null;

    /// <summary>True when an Azurite is configured or can be started.</summary>
    public static bool IsAvailable => Environment.GetEnvironmentVariable(StorageAccount.ConnectionStringVariable) is { Length: > 0 } || Find() is not null;

    /// <summary>Uses <c>GLCMMAE_STORAGE_CONNECTION_STRING</c> when set; otherwise starts Azurite from PATH or the repository's tests/node_modules.</summary>
    public static async Task<AzuriteProcess> StartAsync(CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(StorageAccount.ConnectionStringVariable) is { Length: > 0 } existing)
        {
            return new AzuriteProcess(existing, null, null);
        }

        var executable = Find() ?? throw new StorageNotConfiguredException(
            "Azurite was not found: install it (npm install -g azurite), run npm ci in tests/, or point GLCMMAE_STORAGE_CONNECTION_STRING at a running one.");
        var folder = Directory.CreateTempSubdirectory("glcmmae-azurite-").FullName;
        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "--silent", "--skipApiVersionCheck", "--loose", "--location", folder,
                "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
                "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
            },
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;";
        var result = new AzuriteProcess(connection, process, folder);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await ListeningAsync(blob, cancellationToken).ConfigureAwait(false) || !await ListeningAsync(queue, cancellationToken).ConfigureAwait(false))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                result.Dispose();
                throw new StorageNotConfiguredException($"Azurite ({executable}) did not start listening on ports {blob} and {queue}.");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static string? Find()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, "azurite");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        // A repository checkout: the pinned Azurite of the tests, above the working folder or above the tool itself.
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "tests", "node_modules", ".bin", "azurite");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> ListeningAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
