using Azure.Storage.Blobs;
using GlcmMae.Shared.Deidentification;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Storage;

using GlcmMae.Trainer.Hosting;

namespace GlcmMae.Trainer.Data;

/// <summary>
/// De-identifies every file of a folder or blob prefix (<c>az://container/prefix</c>) into a folder or blob prefix, as
/// <c>{study}/{series}/{instance}.dcm</c> under the remapped UIDs: no output name comes from an input name, which can
/// carry a patient's name or record number.
/// </summary>
internal sealed class DatasetDeidentification(DicomDeidentifier deidentifier, long maxFileBytes)
{
    /// <summary>Runs over <paramref name="input"/>, writing to <paramref name="output"/>; the names of files not written go to <paramref name="refusedList"/> when given (a local file the operator chose), never to the console.</summary>
    public async Task<DeidentificationSummary> RunAsync(string input, string output, string? refusedList, Action<int>? progress, CancellationToken cancellationToken)
    {
        var refused = new List<string>();
        var done = 0;
        await foreach (var (name, read) in ReadAllAsync(input, cancellationToken).ConfigureAwait(false))
        {
            DeidentificationOutcome outcome;
            try
            {
                outcome = deidentifier.Deidentify(await read(cancellationToken).ConfigureAwait(false));
            }
            catch (ImagingException exception)
            {
                // Too large to read whole: refused like any file that cannot be de-identified, and the run goes on.
                outcome = deidentifier.Unreadable(exception.ErrorCode);
            }

            if (outcome.Bytes is { } written)
            {
                await WriteAsync(output, $"{outcome.StudyInstanceUid}/{outcome.SeriesInstanceUid}/{outcome.SopInstanceUid}.dcm", written, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                refused.Add($"{outcome.Refusal}\t{name}");
            }

            progress?.Invoke(++done);
        }

        if (refusedList is not null && refused.Count > 0)
        {
            await File.WriteAllLinesAsync(refusedList, refused, cancellationToken).ConfigureAwait(false);
        }

        return deidentifier.Summary;
    }

    private async IAsyncEnumerable<(string Name, Func<CancellationToken, Task<byte[]>> Read)> ReadAllAsync(string input, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (DatasetSource.BlobAddress(input) is var (container, prefix))
        {
            var client = TrainerSettings.Connections().Container(container);
            await foreach (var blob in client.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix.Length == 0 ? null : prefix, cancellationToken).ConfigureAwait(false))
            {
                var blobClient = client.GetBlobClient(blob.Name);
                yield return (blob.Name, async ct =>
                {
                    var response = await blobClient.DownloadStreamingAsync(cancellationToken: ct).ConfigureAwait(false);
                    await using var stream = response.Value.Content;
                    return await StreamReading.ReadAllAsync(stream, maxFileBytes, "file", ct).ConfigureAwait(false);
                }
                );
            }

            yield break;
        }

        if (!Directory.Exists(input))
        {
            throw new DirectoryNotFoundException($"No folder '{input}': give a folder of scans or az://container/prefix.");
        }

        foreach (var path in Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            yield return (Path.GetRelativePath(input, path), async ct =>
            {
                var stream = File.OpenRead(path);
                await using (stream.ConfigureAwait(false))
                {
                    return await StreamReading.ReadAllAsync(stream, maxFileBytes, "file", ct).ConfigureAwait(false);
                }
            }
            );
        }
    }

    private static async Task WriteAsync(string output, string relative, byte[] bytes, CancellationToken cancellationToken)
    {
        if (DatasetSource.BlobAddress(output) is var (container, prefix))
        {
            var client = TrainerSettings.Connections().Container(container);
            await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await client.GetBlobClient(prefix + relative).UploadAsync(BinaryData.FromBytes(bytes), overwrite: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        var path = Path.Combine(output, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, bytes, cancellationToken).ConfigureAwait(false);
    }
}
