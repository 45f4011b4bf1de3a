namespace GlcmMae.Trainer.Finetuning;

/// <summary><c>splits.json</c>: the dataset root and the images (dataset-relative, <c>#frame</c> for frames) of each split.</summary>
internal sealed record SplitsDocument(string Root, IReadOnlyList<string> Labels, IReadOnlyList<string> Train, IReadOnlyList<string> Validation, IReadOnlyList<string> Test);
