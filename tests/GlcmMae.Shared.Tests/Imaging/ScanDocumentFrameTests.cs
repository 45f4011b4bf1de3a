using GlcmMae.Shared.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace GlcmMae.Shared.Tests.Imaging;

public sealed class ScanDocumentFrameTests
{
    [Fact]
    public void A_recycling_caller_takes_the_opened_frame_and_later_callers_decode_their_own()
    {
        var document = ScanDocument.Open(Png(seed: 1));

        var taken = document.DecodeFrameForRecycling(0, 0);
        var later = document.DecodeFrame(0);
        var recycledAgain = document.DecodeFrameForRecycling(0, 0);

        // The taken frame may be overwritten by the next scan: nobody else may hold it.
        Assert.NotSame(taken, later);
        Assert.NotSame(taken, recycledAgain);
        Assert.NotSame(later, recycledAgain);
        Assert.Equal(taken.Pixels, later.Pixels);
        Assert.Equal(taken.Pixels, recycledAgain.Pixels);
    }

    [Fact]
    public void A_frame_handed_to_public_callers_is_never_given_away_for_recycling()
    {
        var document = ScanDocument.Open(Png(seed: 2));

        var shared = document.DecodeFrame(0);
        var recycled = document.DecodeFrameForRecycling(0, 0);

        Assert.Same(shared, document.DecodeFrame(0));
        Assert.NotSame(shared, recycled);
        Assert.Equal(shared.Pixels, recycled.Pixels);
    }

    [Fact]
    public void Concurrent_callers_never_share_a_recycled_frame()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var document = ScanDocument.Open(Png(seed: attempt));
            var frames = new ScanImage[4];
            Parallel.For(0, frames.Length, i => frames[i] = i % 2 == 0 ? document.DecodeFrameForRecycling(0, 0) : document.DecodeFrame(0));

            var recycled = new[] { frames[0], frames[2] };
            foreach (var frame in recycled)
            {
                Assert.Single(frames, f => ReferenceEquals(f, frame));
            }
        }
    }

    private static byte[] Png(int seed)
    {
        var random = new Random(seed);
        using var image = new Image<L8>(9, 5);
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                image[x, y] = new L8((byte)random.Next(256));
            }
        }

        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
