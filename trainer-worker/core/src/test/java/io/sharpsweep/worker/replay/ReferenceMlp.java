package io.sharpsweep.worker.replay;

/**
 * An independent reference for the replay: the 784-256-128-10 ReLU MLP, its mean cross-entropy, the
 * backward pass, PyTorch's SGD and SAM, all in plain Java doubles (no DJL). Parameters are six flat
 * arrays in PyTorch's layout (fc1.weight row-major [256][784], fc1.bias, …).
 */
final class ReferenceMlp {
  static final int[] SIZES = {784, 256, 128, 10};

  private ReferenceMlp() {}

  /** The gradient of the mean cross-entropy at {@code p} on batch (x [B][784], y [B]). */
  static double[][] gradient(double[][] p, double[][] x, long[] y) {
    int b = x.length;
    double[][] h0 = x;
    double[][] h1 = layer(h0, p[0], p[1], SIZES[1], true);
    double[][] h2 = layer(h1, p[2], p[3], SIZES[2], true);
    double[][] z = layer(h2, p[4], p[5], SIZES[3], false);
    double[][] dz = new double[b][SIZES[3]];
    for (int i = 0; i < b; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : z[i]) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (double v : z[i]) {
        sum += Math.exp(v - max);
      }
      for (int c = 0; c < SIZES[3]; c++) {
        dz[i][c] = (Math.exp(z[i][c] - max) / sum - (c == y[i] ? 1 : 0)) / b;
      }
    }
    double[][] g = new double[6][];
    double[][] d2 = backLayer(dz, h2, p[4], SIZES[2], g, 4);
    mask(d2, h2);
    double[][] d1 = backLayer(d2, h1, p[2], SIZES[1], g, 2);
    mask(d1, h1);
    backLayer(d1, h0, p[0], SIZES[0], g, 0);
    return g;
  }

  static double loss(double[][] p, double[][] x, long[] y) {
    double[][] z =
        layer(layer(layer(x, p[0], p[1], 256, true), p[2], p[3], 128, true), p[4], p[5], 10, false);
    double total = 0;
    for (int i = 0; i < x.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : z[i]) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (double v : z[i]) {
        sum += Math.exp(v - max);
      }
      total += Math.log(sum) + max - z[i][(int) y[i]];
    }
    return total / x.length;
  }

  private static double[][] layer(double[][] in, double[] w, double[] bias, int out, boolean relu) {
    int n = in[0].length;
    double[][] o = new double[in.length][out];
    for (int i = 0; i < in.length; i++) {
      for (int j = 0; j < out; j++) {
        double s = bias[j];
        for (int k = 0; k < n; k++) {
          s += in[i][k] * w[j * n + k];
        }
        o[i][j] = relu ? Math.max(0, s) : s;
      }
    }
    return o;
  }

  /** Weight and bias gradients into g[at], g[at + 1]; returns the input gradient. */
  private static double[][] backLayer(
      double[][] dOut, double[][] in, double[] w, int n, double[][] g, int at) {
    int out = dOut[0].length;
    double[] gw = new double[out * n];
    double[] gb = new double[out];
    double[][] dIn = new double[in.length][n];
    for (int i = 0; i < in.length; i++) {
      for (int j = 0; j < out; j++) {
        double d = dOut[i][j];
        gb[j] += d;
        for (int k = 0; k < n; k++) {
          gw[j * n + k] += d * in[i][k];
          dIn[i][k] += d * w[j * n + k];
        }
      }
    }
    g[at] = gw;
    g[at + 1] = gb;
    return dIn;
  }

  private static void mask(double[][] d, double[][] activation) {
    for (int i = 0; i < d.length; i++) {
      for (int k = 0; k < d[i].length; k++) {
        if (!(activation[i][k] > 0)) {
          d[i][k] = 0;
        }
      }
    }
  }

  /** PyTorch SGD (momentum μ, weight decay λ, no dampening): updates p and buffers in place. */
  static void sgd(
      double[][] p,
      double[][] d,
      double[][] buffers,
      boolean first,
      double lr,
      double mu,
      double wd) {
    for (int t = 0; t < p.length; t++) {
      for (int i = 0; i < p[t].length; i++) {
        double di = d[t][i] + wd * p[t][i];
        if (mu != 0) {
          buffers[t][i] = first ? di : mu * buffers[t][i] + di;
          di = buffers[t][i];
        }
        p[t][i] -= lr * di;
      }
    }
  }

  /** SAM's direction g_s at p (ρ/(‖g‖ + 1e-12) ascent, restored exactly afterwards). */
  static double[][] samDirection(double[][] p, double[][] x, long[] y, double rho) {
    double[][] g = gradient(p, x, y);
    double sq = 0;
    for (double[] t : g) {
      for (double v : t) {
        sq += v * v;
      }
    }
    double scale = rho / (Math.sqrt(sq) + 1e-12);
    double[][] perturbed = new double[p.length][];
    for (int t = 0; t < p.length; t++) {
      perturbed[t] = p[t].clone();
      for (int i = 0; i < p[t].length; i++) {
        perturbed[t][i] += scale * g[t][i];
      }
    }
    return gradient(perturbed, x, y);
  }
}
