using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Xunit;

namespace GlcmMae.Testing;

/// <summary>Starts the pinned Azurite (blob + queue) on free loopback ports with a temporary data folder, and stops it.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>The well-known development account key that Azurite accepts (public, not a secret).</summary>
    public const string AccountName = "devstoreaccount1";

    private const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _dataFolder;

    /// <summary>Port of the blob service.</summary>
    public int BlobPort { get; private set; }

    /// <summary>Port of the queue service.</summary>
    public int QueuePort { get; private set; }

    /// <summary>A storage connection string for this Azurite instance.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};";

    /// <summary>A blob client for this instance.</summary>
    public BlobServiceClient CreateBlobServiceClient() => new(ConnectionString);

    /// <summary>A queue client for this instance.</summary>
    public QueueServiceClient CreateQueueServiceClient() => new(ConnectionString);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var azurite = await NodeTools.EnsureAsync("azurite").ConfigureAwait(false);
        _dataFolder = Directory.CreateTempSubdirectory("azurite-").FullName;
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            BlobPort = LoopbackPorts.GetFree();
            QueuePort = LoopbackPorts.GetFree();
            var tablePort = LoopbackPorts.GetFree();
            try
            {
                await StartAsync(azurite, tablePort).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException ex)
            {
                // A port handed out by the OS can be taken again before Azurite binds it: try new ports.
                last = ex;
                Stop();
            }
        }

        throw new InvalidOperationException("Azurite did not start after 3 attempts.", last);
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        Stop();
        if (_dataFolder is not null && Directory.Exists(_dataFolder))
        {
            Directory.Delete(_dataFolder, recursive: true);
        }

        return Task.CompletedTask;
    }

    private async Task StartAsync(string azurite, int tablePort)
    {
        var start = new ProcessStartInfo(azurite)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--location", _dataFolder!, "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--loose",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _output.Clear();
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Azurite.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode}: {Output()}");
            }

            if (await IsListeningAsync(BlobPort).ConfigureAwait(false) && await IsListeningAsync(QueuePort).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"Azurite did not listen within {StartTimeout.TotalSeconds} s: {Output()}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Stop()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
            _process = null;
        }
    }
}
