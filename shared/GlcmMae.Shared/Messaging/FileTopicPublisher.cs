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
            await WriteOnceAsync(Root, message.Topic, message.MessageId, message.Body, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes one message as <c>{root}/{topic}/{messageId}.json</c> unless it is there already (a repeat is a no-op), through a temporary file.</summary>
    internal static async Task WriteOnceAsync(string root, string topic, string messageId, byte[] body, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(root, topic);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, messageId + ".json");
        if (File.Exists(path))
        {
            return;
        }

        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, body, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }
}
