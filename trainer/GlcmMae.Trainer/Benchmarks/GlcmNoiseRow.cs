namespace GlcmMae.Trainer.Benchmarks;

/// <summary>
/// One bin count of <c>bench glcm-noise</c>: the mean GLCM term (pixel-normalised, so comparable across bin counts)
/// between patches of one image, of one class, and of two classes, and how well the term tells the last two apart.
/// </summary>
/// <param name="Bins">GLCM bins K.</param>
/// <param name="PatchSize">Patch side in pixels.</param>
/// <param name="Pooled">Patches pooled into each sample's GLCM (1: the method's one patch).</param>
/// <param name="Pairs">Sample pairs of each kind.</param>
/// <param name="SameImage">Mean term between two disjoint patches of one image: the floor a perfect texture model still pays.</param>
/// <param name="SameClass">Mean term between patches of two images of one class.</param>
/// <param name="OtherClass">Mean term between patches of two classes.</param>
/// <param name="ClassAuroc">AUROC of the term for "two classes" against "one class": 0.5 when the term is sampling noise only.</param>
internal sealed record GlcmNoiseRow(int Bins, int PatchSize, int Pooled, int Pairs, double SameImage, double SameClass, double OtherClass, double ClassAuroc);
