using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using GlcmMae.Rehearsal.Networking;

namespace GlcmMae.Rehearsal.Storage;

/// <summary>
/// Azurite (blob, queue and table services) as a child process on free loopback ports, persisting to a data folder so
/// that it can be stopped and started again on the same ports with the same contents, as a storage outage.
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    /// <summary>The well-known development account that Azurite serves.</summary>
    public const string AccountName = "devstoreaccount1";

    // Azurite's published development key: public, not a secret.
    private const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int SignalTerminate = 15;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly string _executable;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private AzuriteProcess(string executable, string dataFolder)
    {
        _executable = executable;
        DataFolder = dataFolder;
    }

    /// <summary>Where Azurite keeps its blobs, queues and tables.</summary>
    public string DataFolder { get; }

    /// <summary>Port of the blob service.</summary>
    public int BlobPort { get; private set; }

    /// <summary>Port of the queue service.</summary>
    public int QueuePort { get; private set; }

    /// <summary>Port of the table service.</summary>
    public int TablePort { get; private set; }

    /// <summary>A storage connection string for this instance (all three services).</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <summary>
    /// The Azurite executable: <paramref name="explicitPath"/> when given, else <c>tests/node_modules/.bin/azurite</c> in
    /// the working folder, the tool's folder or a folder above either (where <c>npm ci</c> in tests/ installs the pinned version), else
    /// <c>azurite</c> on the PATH; null when there is none.
    /// </summary>
    public static string? Locate(string? explicitPath = null)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : null;
        }

        // A repository checkout: the pinned Azurite of the tests, above the working folder or above the tool itself.
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, "tests", "node_modules", ".bin", "azurite");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(path => Path.Combine(path, "azurite"))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Starts Azurite from <paramref name="executable"/> on free ports, keeping its data in <paramref name="dataFolder"/>.</summary>
    /// <exception cref="InvalidOperationException">It did not start (the message carries its output).</exception>
    public static async Task<AzuriteProcess> StartAsync(string executable, string dataFolder, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(dataFolder);
        var azurite = new AzuriteProcess(executable, dataFolder);
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            azurite.BlobPort = LoopbackPorts.GetFree();
            azurite.QueuePort = LoopbackPorts.GetFree();
            azurite.TablePort = LoopbackPorts.GetFree();
            try
            {
                await azurite.StartAsync(cancellationToken).ConfigureAwait(false);
                return azurite;
            }
            catch (InvalidOperationException exception)
            {
                // A port the OS handed out can be taken again before Azurite binds it: try new ports.
                last = exception;
                azurite.Kill();
            }
        }

        throw new InvalidOperationException("Azurite did not start after 3 attempts.", last);
    }

    /// <summary>Stops Azurite as an operator would (SIGTERM, so it writes its data out) and starts it again on the same ports.</summary>
    public async Task RestartAsync(TimeSpan downtime, CancellationToken cancellationToken = default)
    {
        await StopAsync().ConfigureAwait(false);
        await Task.Delay(downtime, cancellationToken).ConfigureAwait(false);
        await StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops Azurite: SIGTERM first (it saves its metadata on the way out), a kill if it does not exit in time.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
            {
                _ = Kill(_process.Id, SignalTerminate);
                using var timeout = new CancellationTokenSource(StopTimeout);
                try
                {
                    await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // It did not exit on SIGTERM: fall through to the kill.
                }
            }
        }
        finally
        {
            Kill();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (Directory.Exists(DataFolder))
        {
            Directory.Delete(DataFolder, recursive: true);
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(CultureInfo.InvariantCulture),
            "--location", DataFolder, "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--loose",
        })
        {
            start.ArgumentList.Add(argument);
        }

        lock (_output)
        {
            _output.Clear();
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start Azurite from {_executable}.");
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

            if (await IsListeningAsync(BlobPort, cancellationToken).ConfigureAwait(false)
                && await IsListeningAsync(QueuePort, cancellationToken).ConfigureAwait(false)
                && await IsListeningAsync(TablePort, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"Azurite did not listen within {StartTimeout.TotalSeconds} s: {Output()}");
    }

    private void Kill()
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

    private static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
