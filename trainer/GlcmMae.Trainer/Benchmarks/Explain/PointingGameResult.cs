namespace GlcmMae.Trainer.Benchmarks.Explain;

/// <summary>How often the explanation's peak falls inside the known lesion, against a peak dropped at random.</summary>
/// <param name="Scans">Phantoms served.</param>
/// <param name="Explained">Phantoms that got a label and an explanation.</param>
/// <param name="Hits">Explanations whose peak lies inside the lesion.</param>
/// <param name="PointingAccuracy">Hits / explained.</param>
/// <param name="RandomBaseline">The share of the model's input the lesion covers, on average: a random peak's hit rate.</param>
/// <param name="MeanMilliseconds">Time per explanation (the occluded copies' inference included).</param>
/// <param name="ScanSize">Side of the phantoms.</param>
/// <param name="LesionScale">Lesion size factor of the phantoms.</param>
internal sealed record PointingGameResult(int Scans, int Explained, int Hits, double PointingAccuracy, double RandomBaseline, double MeanMilliseconds, int ScanSize, double LesionScale);
