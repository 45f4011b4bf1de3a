using System.Diagnostics;

namespace GlcmMae.Testing;

/// <summary>Installs the Node tools pinned in tests/package-lock.json once, safely across parallel test processes.</summary>
public static class NodeTools
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Returns the path of a tool in tests/node_modules/.bin, running <c>npm ci</c> first if it is missing.</summary>
    public static async Task<string> EnsureAsync(string tool, CancellationToken cancellationToken = default)
    {
        var binary = Path.Combine(RepositoryPaths.TestsFolder, "node_modules", ".bin", tool);
        if (File.Exists(binary))
        {
            return binary;
        }

        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another test process may be installing too: serialise on a lock file next to package.json.
            var lockPath = Path.Combine(RepositoryPaths.TestsFolder, ".npm-install.lock");
            using var fileLock = await AcquireFileLockAsync(lockPath, cancellationToken).ConfigureAwait(false);
            if (!File.Exists(binary))
            {
                await RunNpmCiAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Gate.Release();
        }

        return File.Exists(binary)
            ? binary
            : throw new InvalidOperationException($"npm ci finished but {binary} is missing; check tests/package.json.");
    }

    private static async Task RunNpmCiAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("npm", "ci --no-audit --no-fund")
        {
            WorkingDirectory = RepositoryPaths.TestsFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("Could not start npm; install Node.js and npm (apt-get install -y nodejs npm).");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"npm ci in {RepositoryPaths.TestsFolder} failed with exit code {process.ExitCode}:\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
        }
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
