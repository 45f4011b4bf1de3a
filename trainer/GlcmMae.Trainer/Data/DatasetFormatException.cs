using GlcmMae.Shared;

namespace GlcmMae.Trainer.Data;

/// <summary>A dataset folder or manifest that cannot be used as it is; the message says what to fix.</summary>
internal sealed class DatasetFormatException(string message) : GlcmMaeException(message)
{
    public override string ErrorCode => "InvalidDataset";
}
