using System.Security.Cryptography;
using System.Text.Json;
using GlcmMae.Shared.Storage;

namespace GlcmMae.Shared.Models;

/// <summary>
/// Versioned models in a blob store: <c>{name}/{version}/model.onnx</c>, <c>manifest.json</c>, <c>report/</c>, and
/// <c>{name}/current.json</c> naming the serving version. Versions are immutable; promotion is compare-and-swap on the ETag.
/// </summary>
public sealed class ModelRegistry(IBlobStore store)
{
    /// <summary>File name of the model inside a version.</summary>
    public const string ModelFile = "model.onnx";

    /// <summary>File name of the manifest inside a version.</summary>
    public const string ManifestFile = "manifest.json";

    /// <summary>File name of the serving pointer of a model name.</summary>
    public const string CurrentFile = "current.json";

    /// <summary>The underlying store.</summary>
    public IBlobStore Store => store;

    /// <summary>Uploads a version: model first, then report files and attachments, then the manifest (a version exists once its manifest does).</summary>
    /// <param name="manifest">The version's manifest.</param>
    /// <param name="onnxPath">The model file; it must have the manifest's SHA-256.</param>
    /// <param name="reportFiles">Evaluation report files by path below <c>report/</c>.</param>
    /// <param name="attachments">Other files by path below the version (e.g. <c>data.jsonl</c>, the lineage).</param>
    /// <param name="cancellationToken">Stops the upload (the version then does not exist, as its manifest was not written).</param>
    public async Task PublishAsync(
        ModelManifest manifest, string onnxPath, IReadOnlyDictionary<string, string>? reportFiles, IReadOnlyDictionary<string, string>? attachments = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ValidateName(manifest.Name);
        ValidateName(manifest.Version);
        var actual = await HashFileAsync(onnxPath, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(actual, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelRegistryException("ModelHashMismatch", $"{onnxPath} has SHA-256 {actual}, but the manifest says {manifest.Sha256}; export again.");
        }

        var prefix = $"{manifest.Name}/{manifest.Version}/";
        if (await store.TryReadAsync(prefix + ManifestFile, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new ModelRegistryException("VersionExists", $"{manifest.Name} {manifest.Version} is published already; versions are immutable, publish a new version.");
        }

        var model = File.OpenRead(onnxPath);
        await using (model.ConfigureAwait(false))
        {
            try
            {
                await store.WriteAsync(prefix + ModelFile, model, BlobWriteCondition.CreateOnly, cancellationToken).ConfigureAwait(false);
            }
            catch (BlobConditionFailedException)
            {
                // A model without a manifest is an interrupted publish of this very version: refuse rather than guess.
                throw new ModelRegistryException("VersionExists", $"{prefix}{ModelFile} exists already (an interrupted or concurrent publish); publish a new version.");
            }
        }

        var files = (reportFiles ?? new Dictionary<string, string>()).Select(f => ("report/" + f.Key, f.Value))
            .Concat((attachments ?? new Dictionary<string, string>()).Select(f => (ValidateAttachment(f.Key), f.Value)));
        foreach (var (relative, file) in files)
        {
            var stream = File.OpenRead(file);
            await using (stream.ConfigureAwait(false))
            {
                await store.WriteAsync(prefix + relative, stream, BlobWriteCondition.None, cancellationToken).ConfigureAwait(false);
            }
        }

        using var json = new MemoryStream(manifest.ToJsonBytes());
        await store.WriteAsync(prefix + ManifestFile, json, BlobWriteCondition.CreateOnly, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a file to a published version once (a model card written after the publish gate decided); versions stay immutable, so a second write fails.</summary>
    public async Task AttachAsync(string name, string version, string relativePath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        _ = await GetManifestAsync(name, version, cancellationToken).ConfigureAwait(false);
        var path = $"{name}/{version}/{ValidateAttachment(relativePath)}";
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        try
        {
            await store.WriteAsync(path, stream, BlobWriteCondition.CreateOnly, cancellationToken).ConfigureAwait(false);
        }
        catch (BlobConditionFailedException)
        {
            throw new ModelRegistryException("VersionExists", $"{path} exists already; a published version's files are written once.");
        }
    }

    /// <summary>A file of a published version (report, lineage, model card), or null when it has none.</summary>
    public async Task<byte[]?> TryReadAttachmentAsync(string name, string version, string relativePath, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        ValidateName(version);
        var content = await store.TryReadAsync($"{name}/{version}/{ValidateAttachment(relativePath)}", cancellationToken).ConfigureAwait(false);
        return content?.Data.ToArray();
    }

    /// <summary>Streams a file of a published version into a local file (large files: a pretraining checkpoint); false when the version has no such file.</summary>
    public Task<bool> DownloadAttachmentAsync(string name, string version, string relativePath, string localFile, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        ValidateName(version);
        return store.DownloadToAsync($"{name}/{version}/{ValidateAttachment(relativePath)}", localFile, cancellationToken);
    }

    /// <summary>Published versions of a model, oldest first.</summary>
    public async Task<IReadOnlyList<string>> ListVersionsAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        var versions = new List<string>();
        await foreach (var path in store.ListAsync(name + "/", cancellationToken).ConfigureAwait(false))
        {
            var parts = path.Split('/');
            if (parts.Length == 3 && parts[2] == ManifestFile)
            {
                versions.Add(parts[1]);
            }
        }

        return [.. versions.Order(StringComparer.Ordinal)];
    }

    /// <summary>Model names in the store.</summary>
    public async Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken cancellationToken = default)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var path in store.ListAsync(string.Empty, cancellationToken).ConfigureAwait(false))
        {
            var parts = path.Split('/');
            if (parts.Length == 3 && parts[2] == ManifestFile)
            {
                names.Add(parts[0]);
            }
        }

        return [.. names];
    }

    /// <summary>A version's manifest.</summary>
    public async Task<ModelManifest> GetManifestAsync(string name, string version, CancellationToken cancellationToken = default)
    {
        var path = $"{name}/{version}/{ManifestFile}";
        var content = await store.TryReadAsync(path, cancellationToken).ConfigureAwait(false)
            ?? throw new ModelRegistryException("VersionNotFound", $"{name} {version} is not published in {store.Location}; see glcmmae models list.");
        return ModelManifest.Parse(content.Data, path);
    }

    /// <summary>Reads a version and refuses it unless model.onnx has the manifest's SHA-256.</summary>
    public async Task<LoadedModel> LoadAsync(string name, string version, CancellationToken cancellationToken = default)
    {
        var manifest = await GetManifestAsync(name, version, cancellationToken).ConfigureAwait(false);
        var path = $"{name}/{version}/{ModelFile}";
        var content = await store.TryReadAsync(path, cancellationToken).ConfigureAwait(false)
            ?? throw new ModelRegistryException("ModelMissing", $"{path} is missing although its manifest exists; publish the version again under a new version.");
        var actual = Convert.ToHexStringLower(SHA256.HashData(content.Data));
        if (!string.Equals(actual, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelRegistryException("ModelCorrupt", $"{path} has SHA-256 {actual} but its manifest says {manifest.Sha256}; the file is corrupt or was replaced. Roll back or publish again.");
        }

        return new LoadedModel(manifest, content.Data);
    }

    /// <summary>The serving pointer and its ETag, or null when nothing was promoted yet.</summary>
    public async Task<(CurrentModel Current, string ETag)?> GetCurrentAsync(string name, CancellationToken cancellationToken = default)
    {
        var content = await store.TryReadAsync($"{name}/{CurrentFile}", cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return null;
        }

        var current = JsonSerializer.Deserialize<CurrentModel>(content.Data, ModelManifest.JsonOptions)
            ?? throw new ModelRegistryException("CurrentInvalid", $"{name}/{CurrentFile} is empty.");
        return (current, content.ETag);
    }

    /// <summary>Makes a published version current and records the decision; loses (with an exception) if someone else changed the pointer meanwhile.</summary>
    public async Task<CurrentModel> PromoteAsync(string name, string version, PromotionNote note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(note);
        _ = await LoadAsync(name, version, cancellationToken).ConfigureAwait(false);
        var existing = await GetCurrentAsync(name, cancellationToken).ConfigureAwait(false);
        if (existing?.Current.Version == version)
        {
            return existing.Value.Current;
        }

        var now = DateTimeOffset.UtcNow;
        var record = note.Record(version, ModelDecision.Promoted, now);
        var previous = existing is { } e ? [.. e.Current.Previous, e.Current.Version] : Array.Empty<string>();
        var next = new CurrentModel
        {
            Version = version,
            Previous = previous,
            PromotedAt = now,
            Reason = note.Reason,
            PromotedBy = note.By,
            History = existing is { } h ? h.Current.With(record) : [record],
        };
        await WriteCurrentAsync(name, next, existing?.ETag, cancellationToken).ConfigureAwait(false);
        return next;
    }

    /// <summary>Records in the history that a published version was not promoted (serving is unchanged); false when nothing was ever promoted, so there is no history yet.</summary>
    public async Task<bool> RecordRefusalAsync(string name, string version, PromotionNote note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(note);
        _ = await GetManifestAsync(name, version, cancellationToken).ConfigureAwait(false);
        var existing = await GetCurrentAsync(name, cancellationToken).ConfigureAwait(false);
        if (existing is not { } e)
        {
            return false;
        }

        var record = note.Record(version, ModelDecision.Refused, DateTimeOffset.UtcNow);
        await WriteCurrentAsync(name, e.Current with { History = e.Current.With(record) }, e.ETag, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Makes the previously current version current again.</summary>
    public async Task<CurrentModel> RollbackAsync(string name, string by, CancellationToken cancellationToken = default)
    {
        var existing = await GetCurrentAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new ModelRegistryException("NothingToRollBack", $"{name} has no current version.");
        if (existing.Current.Previous.Count == 0)
        {
            throw new ModelRegistryException("NothingToRollBack", $"{name} {existing.Current.Version} is the first version ever promoted; there is nothing to roll back to.");
        }

        var target = existing.Current.Previous[^1];
        _ = await LoadAsync(name, target, cancellationToken).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        var reason = $"rollback from {existing.Current.Version}";
        var next = existing.Current with
        {
            Version = target,
            Previous = [.. existing.Current.Previous.SkipLast(1)],
            PromotedAt = now,
            Reason = reason,
            PromotedBy = by,
            History = existing.Current.With(new PromotionNote(reason, by).Record(target, ModelDecision.RolledBack, now)),
        };
        await WriteCurrentAsync(name, next, existing.ETag, cancellationToken).ConfigureAwait(false);
        return next;
    }

    /// <summary>Hex SHA-256 of a file.</summary>
    public static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }

    private async Task WriteCurrentAsync(string name, CurrentModel next, string? etag, CancellationToken cancellationToken)
    {
        using var json = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(next, ModelManifest.JsonOptions));
        try
        {
            await store.WriteAsync($"{name}/{CurrentFile}", json, etag is null ? BlobWriteCondition.CreateOnly : BlobWriteCondition.Matching(etag), cancellationToken).ConfigureAwait(false);
        }
        catch (BlobConditionFailedException)
        {
            throw new ModelRegistryException("PromotionConflict", $"{name}/{CurrentFile} changed while promoting {next.Version} (another promotion won); check glcmmae models list and retry.");
        }
    }

    private static string ValidateAttachment(string relativePath)
    {
        var parts = relativePath.Split('/');
        if (parts.Any(p => p.Length == 0 || p is "." or ".." || p.Contains('\\', StringComparison.Ordinal)) || relativePath is ModelFile or ManifestFile)
        {
            throw new ModelRegistryException("InvalidName", $"'{relativePath}' is not a valid file of a version (a relative path other than {ModelFile} and {ManifestFile}).");
        }

        return relativePath;
    }

    private static void ValidateName(string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Contains('/', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal) || value is "." or "..")
        {
            throw new ModelRegistryException("InvalidName", $"'{value}' is not a valid model name or version (no slashes, not empty).");
        }
    }
}
