package org.recurrent4j.compute;

import java.util.Arrays;

/**
 * The reference the engine tests compare with: plain loops in double precision, written from the formulas (the
 * Javadoc of {@link ComputeEngine} and of the cells), independent of how the engine splits them into kernels and
 * products. {@link #run} is a naive recurrent layer: per example, per step, scalar loops, backpropagation through time
 * by hand; {@code NaiveReferenceTest} checks its gradients by finite differences.
 */
public final class Reference {
    private Reference() {
    }

    /** An element of a table, by row and column. */
    interface Entry {
        double at(int i, int j);
    }

    /** @return the [rows, cols] table of {@code f(i, j)} */
    static double[][] table(int rows, int cols, Entry f) {
        double[][] t = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[i][j] = f.at(i, j);
            }
        }
        return t;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double apply(Nonlinearity f, double x) {
        return switch (f) {
            case TANH -> Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case RELU -> Math.max(0, x);
            case IDENTITY -> x;
        };
    }

    /** @return f'(x) (0 at the kink of relu) */
    static double derivative(Nonlinearity f, double x) {
        return switch (f) {
            case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
            case SIGMOID -> sigmoid(x) * (1 - sigmoid(x));
            case RELU -> x > 0 ? 1 : 0;
            case IDENTITY -> 1;
        };
    }

    /** @return {@code α op(a) op(b) + β c} (c may be null when β = 0) */
    public static double[][] gemm(double alpha, double[][] a, boolean transA, double[][] b, boolean transB, double beta,
                           double[][] c) {
        double[][] opA = transA ? transpose(a) : a;
        double[][] opB = transB ? transpose(b) : b;
        int inner = opB.length;
        return table(opA.length, opB[0].length, (i, j) -> {
            double s = 0;
            for (int k = 0; k < inner; k++) {
                s += opA[i][k] * opB[k][j];
            }
            return alpha * s + (beta == 0 ? 0 : beta * c[i][j]);
        });
    }

    static double[][] transpose(double[][] a) {
        return table(a[0].length, a.length, (i, j) -> a[j][i]);
    }

    /** @return columns [first, first + count) */
    static double[][] cols(double[][] a, int first, int count) {
        return table(a.length, count, (i, j) -> a[i][first + j]);
    }

    /** @return the tables side by side */
    static double[][] concat(double[][]... blocks) {
        double[][] out = new double[blocks[0].length][];
        for (int i = 0; i < out.length; i++) {
            double[] row = new double[0];
            for (double[][] b : blocks) {
                double[] joined = Arrays.copyOf(row, row.length + b[i].length);
                System.arraycopy(b[i], 0, joined, row.length, b[i].length);
                row = joined;
            }
            out[i] = row;
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------
    // The cells, naively: one example, one step

    /** Input-side and recurrent parameters of a layer, or their gradients: W [nIn][G·n], b, RW [n][G·n], RB or null. */
    record Params(double[][] w, double[] b, double[][] rw, double[] rb) {
        Params zeros() {
            return new Params(new double[w.length][b.length], new double[b.length], new double[rw.length][b.length],
                    rb == null ? null : new double[b.length]);
        }
    }

    /** The engine's cells; forward and backward for one example and step, in scalar loops. */
    enum Cell {
        ELMAN_TANH(1), ELMAN_RELU(1), GRU(3), GRU_RESET_AFTER(3), LSTM(4);

        final int gates;

        Cell(int gates) {
            this.gates = gates;
        }

        int stateWidth(int n) {
            return this == LSTM ? 2 * n : n;
        }

        boolean hasRecurrentBias() {
            return this == GRU_RESET_AFTER;
        }

        /** @return the engine's kernel for this cell */
        CellKernel kernel(ComputeEngine engine, long n) {
            return switch (this) {
                case ELMAN_TANH -> new ElmanKernel(engine, n, ActivationFunction.of(engine, Nonlinearity.TANH));
                case ELMAN_RELU -> new ElmanKernel(engine, n, ActivationFunction.of(engine, Nonlinearity.RELU));
                case GRU -> new GruKernel(engine, n, false);
                case GRU_RESET_AFTER -> new GruKernel(engine, n, true);
                case LSTM -> new LstmKernel(engine, n);
            };
        }

        /**
         * @param xp the step's input projection {@code x W + b} [G·n]
         * @param s  the previous state [S]
         * @return the new state [S]
         */
        double[] forward(Params p, double[] xp, double[] s) {
            int n = p.rw().length;
            double[] rec = times(s, p.rw(), p.rb());                               // h RW (+ RB)   [G·n]
            double[] out = new double[stateWidth(n)];
            for (int j = 0; j < n; j++) {
                switch (this) {
                    case ELMAN_TANH, ELMAN_RELU -> out[j] = apply(activation(), xp[j] + rec[j]);
                    case GRU, GRU_RESET_AFTER -> {
                        double z = sigmoid(xp[n + j] + rec[n + j]);
                        double c = gruCandidate(p, xp, s, rec, j);
                        out[j] = (1 - z) * s[j] + z * c;
                    }
                    case LSTM -> {
                        double a = Math.tanh(xp[j] + rec[j]);
                        double f = sigmoid(xp[n + j] + rec[n + j]);
                        double o = sigmoid(xp[2 * n + j] + rec[2 * n + j]);
                        double i = sigmoid(xp[3 * n + j] + rec[3 * n + j]);
                        out[n + j] = f * s[n + j] + i * a;
                        out[j] = o * Math.tanh(out[n + j]);
                    }
                }
            }
            return out;
        }

        /**
         * Backward of {@link #forward} at (xp, s).
         *
         * @param dNew  dL/d(new state) [S]
         * @param dPrev dL/d(previous state) through this step is added to it [S]
         * @param g     receives (added) the gradients of RW and RB
         * @return dL/d(xp) [G·n]
         */
        double[] backward(Params p, double[] xp, double[] s, double[] dNew, double[] dPrev, Params g) {
            int n = p.rw().length;
            double[] rec = times(s, p.rw(), p.rb());
            double[] dXp = new double[gates * n];
            double[] dRec = new double[gates * n];                                 // at h RW (+ RB)
            for (int j = 0; j < n; j++) {
                switch (this) {
                    case ELMAN_TANH, ELMAN_RELU -> dXp[j] = derivative(activation(), xp[j] + rec[j]) * dNew[j];
                    case GRU, GRU_RESET_AFTER -> {
                        double z = sigmoid(xp[n + j] + rec[n + j]);
                        double c = gruCandidate(p, xp, s, rec, j);
                        dXp[n + j] = dNew[j] * (c - s[j]) * z * (1 - z);
                        dXp[2 * n + j] = dNew[j] * z * (1 - c * c);
                        dPrev[j] += dNew[j] * (1 - z);
                    }
                    case LSTM -> {
                        double a = Math.tanh(xp[j] + rec[j]);
                        double f = sigmoid(xp[n + j] + rec[n + j]);
                        double o = sigmoid(xp[2 * n + j] + rec[2 * n + j]);
                        double i = sigmoid(xp[3 * n + j] + rec[3 * n + j]);
                        double tc = Math.tanh(f * s[n + j] + i * a);
                        double dc = dNew[n + j] + dNew[j] * o * (1 - tc * tc);
                        dXp[j] = dc * i * (1 - a * a);
                        dXp[n + j] = dc * s[n + j] * f * (1 - f);
                        dXp[2 * n + j] = dNew[j] * tc * o * (1 - o);
                        dXp[3 * n + j] = dc * a * i * (1 - i);
                        dPrev[n + j] += dc * f;
                    }
                }
            }
            System.arraycopy(dXp, 0, dRec, 0, dXp.length);
            if (this == GRU) {
                // c = tanh(xp_c + (r ∘ h) RW_c): through r ∘ h to r and h
                for (int k = 0; k < n; k++) {
                    double r = sigmoid(xp[k] + rec[k]);
                    double dRs = 0;
                    for (int j = 0; j < n; j++) {
                        dRs += p.rw()[k][2 * n + j] * dXp[2 * n + j];
                        g.rw()[k][2 * n + j] += r * s[k] * dXp[2 * n + j];
                    }
                    dXp[k] = dRec[k] = dRs * s[k] * r * (1 - r);
                    dPrev[k] += dRs * r;
                }
                Arrays.fill(dRec, 2 * n, 3 * n, 0);                      // RW_c done above
            } else if (this == GRU_RESET_AFTER) {
                // c = tanh(xp_c + r ∘ rec_c)
                for (int j = 0; j < n; j++) {
                    double r = sigmoid(xp[j] + rec[j]);
                    dXp[j] = dRec[j] = dXp[2 * n + j] * rec[2 * n + j] * r * (1 - r);
                    dRec[2 * n + j] = dXp[2 * n + j] * r;
                }
            }
            // rec = h RW (+ RB): dh += RW dRec, dRW += h ⊗ dRec, dRB += dRec
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < gates * n; j++) {
                    dPrev[k] += p.rw()[k][j] * dRec[j];
                    g.rw()[k][j] += s[k] * dRec[j];
                }
            }
            if (g.rb() != null) {
                for (int j = 0; j < gates * n; j++) {
                    g.rb()[j] += dRec[j];
                }
            }
            return dXp;
        }

        private Nonlinearity activation() {
            return this == ELMAN_RELU ? Nonlinearity.RELU : Nonlinearity.TANH;
        }

        /** c_j of a GRU: tanh(xp_c + (r ∘ h) RW_c) or, reset-after, tanh(xp_c + r ∘ (h RW_c + RB_c)) */
        private double gruCandidate(Params p, double[] xp, double[] s, double[] rec, int j) {
            int n = p.rw().length;
            if (this == GRU_RESET_AFTER) {
                return Math.tanh(xp[2 * n + j] + sigmoid(xp[j] + rec[j]) * rec[2 * n + j]);
            }
            double a = xp[2 * n + j];
            for (int k = 0; k < n; k++) {
                a += sigmoid(xp[k] + rec[k]) * s[k] * p.rw()[k][2 * n + j];
            }
            return Math.tanh(a);
        }
    }

    /** @return {@code h RW (+ RB)} with h the first n entries of s */
    private static double[] times(double[] s, double[][] rw, double[] rb) {
        double[] out = rb == null ? new double[rw[0].length] : rb.clone();
        for (int k = 0; k < rw.length; k++) {
            for (int j = 0; j < out.length; j++) {
                out[j] += s[k] * rw[k][j];
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------
    // A layer over whole sequences

    /**
     * A recurrent layer's forward and backward pass.
     *
     * @param x          [T][mb][nIn] input
     * @param mask       [mb][T] of 0/1, or null
     * @param init       [mb][S] initial state, or null for zeros
     * @param eps        [T][mb][n] dL/d(outputs)
     * @param backLength backpropagate through the last backLength steps (all if ≤ 0)
     */
    record Problem(Cell cell, MaskedSteps mode, Params params, double[][][] x, double[][] mask, double[][] init,
                   double[][][] eps, int backLength) {
        int steps() {
            return x.length;
        }

        int mb() {
            return x[0].length;
        }

        int n() {
            return params.rw().length;
        }
    }

    /**
     * @param outputs        [T][mb][n] masked outputs
     * @param finalState     [mb][S]
     * @param grads          parameter gradients
     * @param dx             [T][mb][nIn] dL/d(input), zero before the window
     * @param stateGradients [T][mb][n] dL/dh_t before masking (gradient from later steps plus eps_t), zero before the
     *                       window
     */
    record Result(double[][][] outputs, double[][] finalState, Params grads, double[][][] dx,
                  double[][][] stateGradients) {
    }

    /** @return the layer's outputs, final state and gradients, per example and step in scalar loops */
    static Result run(Problem q) {
        int steps = q.steps();
        int mb = q.mb();
        int n = q.n();
        int s = q.cell().stateWidth(n);
        Params p = q.params();
        int nIn = p.w().length;
        Params g = p.zeros();
        double[][][] outputs = new double[steps][mb][n];
        double[][][] dx = new double[steps][mb][nIn];
        double[][][] stateGradients = new double[steps][mb][n];
        double[][] finalState = new double[mb][];
        int first = q.backLength() > 0 ? Math.max(0, steps - q.backLength()) : 0;
        for (int e = 0; e < mb; e++) {
            double[][] xp = new double[steps][];
            double[][] states = new double[steps + 1][];                         // states[t]: before step t
            states[0] = q.init() == null ? new double[s] : q.init()[e].clone();
            for (int t = 0; t < steps; t++) {
                xp[t] = p.b().clone();                                             // x W + b
                for (int k = 0; k < nIn; k++) {
                    for (int j = 0; j < xp[t].length; j++) {
                        xp[t][j] += q.x()[t][e][k] * p.w()[k][j];
                    }
                }
                double[] candidate = q.cell().forward(p, xp[t], states[t]);
                double m = mask(q, e, t);
                states[t + 1] = new double[s];
                for (int j = 0; j < s; j++) {
                    double kept = q.mode() == MaskedSteps.KEEP_STATE ? (1 - m) * states[t][j] : 0;
                    states[t + 1][j] = m * candidate[j] + kept;
                    if (j < n) {
                        outputs[t][e][j] = m * candidate[j];
                    }
                }
            }
            finalState[e] = states[steps];

            double[] dState = new double[s];                                       // dL/d(state after step t)
            for (int t = steps - 1; t >= first; t--) {
                double m = mask(q, e, t);
                double[] dCandidate = new double[s];
                double[] dPrev = new double[s];
                for (int j = 0; j < s; j++) {
                    double total = dState[j] + (j < n ? q.eps()[t][e][j] : 0);
                    if (j < n) {
                        stateGradients[t][e][j] = total;
                    }
                    dCandidate[j] = m * total;
                    dPrev[j] = q.mode() == MaskedSteps.KEEP_STATE ? (1 - m) * dState[j] : 0;
                }
                double[] dXp = q.cell().backward(p, xp[t], states[t], dCandidate, dPrev, g);
                for (int j = 0; j < dXp.length; j++) {
                    g.b()[j] += dXp[j];
                    for (int k = 0; k < nIn; k++) {
                        g.w()[k][j] += q.x()[t][e][k] * dXp[j];
                        dx[t][e][k] += p.w()[k][j] * dXp[j];
                    }
                }
                dState = dPrev;
            }
        }
        return new Result(outputs, finalState, g, dx, stateGradients);
    }

    /** @return {@code Σ eps ∘ outputs}, the loss whose gradient {@link #run} computes (with a full window) */
    static double loss(Problem q) {
        double[][][] out = run(q).outputs();
        double l = 0;
        for (int t = 0; t < out.length; t++) {
            for (int e = 0; e < out[t].length; e++) {
                for (int j = 0; j < out[t][e].length; j++) {
                    l += q.eps()[t][e][j] * out[t][e][j];
                }
            }
        }
        return l;
    }

    private static double mask(Problem q, int e, int t) {
        return q.mask() == null ? 1 : q.mask()[e][t];
    }

    /** @return a sequence [T][mb][cols] as time-major rows [T·mb][cols] (row t·mb + i: step t of example i) */
    static double[][] timeMajor(double[][][] seq) {
        int mb = seq[0].length;
        return table(seq.length * mb, seq[0][0].length, (r, j) -> seq[r / mb][r % mb][j]);
    }

    /** @return a vector as a [1, length] table */
    static double[][] row(double[] v) {
        return new double[][] {v.clone()};
    }
}
