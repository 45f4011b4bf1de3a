using GlcmMae.Shared.Pipeline;

namespace GlcmMae.Shared.Messaging;

/// <summary>The embedded topic: one JSON file per message, named by its message id, under <c>{root}/{topic}/</c>.</summary>
/// <remarks>Files are written to a temporary name and renamed, and the id names the file, so a repeated event is a no-op.</remarks>
public sealed class FileTopicPublisher(string root) : IOutcomePublisher
{
    /// <summary>The folder holding one sub-folder per topic.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <inheritdoc />
    public async Task PublishAsync(IReadOnlyList<ScanOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        foreach (var outcome in outcomes)
        {
            var message = OutcomeMessage.From(outcome);
            var folder = Path.Combine(Root, message.Topic);
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, message.MessageId + ".json");
            if (File.Exists(path))
            {
                continue;
            }

            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            await File.WriteAllBytesAsync(temporary, message.Body, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
    }
}
