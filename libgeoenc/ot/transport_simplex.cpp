#include "ot/transport_simplex.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace geoenc::ot {

namespace {

constexpr long long kInf = std::numeric_limits<long long>::max();

// The spanning tree on sources 0..N-1, sinks N..N+M-1 and the root N+M. Each
// non-root node keeps the arc to its parent: a real arc i*M + j, or its own
// artificial arc (arc < 0), with its direction (up: node -> parent) and flow.
// Children are intrusive doubly linked lists, so a subtree moves in O(path).
struct Tree {
    std::vector<int> parent, depth, first_child, next_sibling, prev_sibling;
    std::vector<std::int64_t> arc;
    std::vector<char> up;
    std::vector<long long> flow;
    std::vector<double> pi;

    explicit Tree(std::size_t nodes)
        : parent(nodes, -1), depth(nodes, 0), first_child(nodes, -1), next_sibling(nodes, -1),
          prev_sibling(nodes, -1), arc(nodes, -1), up(nodes, 0), flow(nodes, 0), pi(nodes, 0.0) {}

    void add_child(int p, int c) {
        parent[c] = p;
        prev_sibling[c] = -1;
        next_sibling[c] = first_child[p];
        if (first_child[p] >= 0) prev_sibling[first_child[p]] = c;
        first_child[p] = c;
    }
    void remove_child(int c) {
        const int p = parent[c];
        if (prev_sibling[c] >= 0) next_sibling[prev_sibling[c]] = next_sibling[c];
        else first_child[p] = next_sibling[c];
        if (next_sibling[c] >= 0) prev_sibling[next_sibling[c]] = prev_sibling[c];
        next_sibling[c] = prev_sibling[c] = -1;
    }
};

}  // namespace

TransportSolution transport_simplex(const std::vector<long long>& supply, const std::vector<long long>& demand,
                                    const double* cost) {
    const std::size_t n = supply.size(), m = demand.size();
    TransportSolution out;
    if (n == 0 || m == 0) throw std::invalid_argument("transport_simplex: empty input");
    long long total_s = 0, total_d = 0;
    for (long long s : supply) total_s += s;
    for (long long d : demand) total_d += d;
    if (total_s != total_d) return out;  // infeasible

    const std::size_t arcs = n * m;
    const int root = int(n + m);
    double max_cost = 0.0;
    for (std::size_t k = 0; k < arcs; ++k) max_cost = std::max(max_cost, std::abs(cost[k]));
    // Big M: an artificial arc costs more than any path of real arcs.
    const double art = (max_cost + 1.0) * double(n + m);

    Tree t(n + m + 1);
    // Start: every node hangs from the root by its artificial arc; sources (and
    // sinks without demand) send to the root at cost 0, the root feeds each sink at cost art.
    for (std::size_t v = 0; v < n + m; ++v) {
        const bool source = v < n;
        const long long mass = source ? supply[v] : demand[v - n];
        t.add_child(root, int(v));
        t.depth[v] = 1;
        t.arc[v] = -1;
        t.flow[v] = mass;
        if (source || mass == 0) {
            t.up[v] = 1;
            t.pi[v] = 0.0;
        } else {
            t.up[v] = 0;
            t.pi[v] = art;
        }
    }

    std::vector<unsigned char> in_tree(arcs, 0);
    const std::size_t block = std::max<std::size_t>(10, std::size_t(std::ceil(std::sqrt(double(arcs)))));
    const double tol = 1e-12 * std::max(1.0, max_cost);
    std::size_t next = 0;  // where the pricing resumes
    std::vector<int> path, stack;

    for (;;) {
        // --- entering arc: block search from `next`, wrapping around ---
        std::int64_t enter = -1;
        double best = -tol;
        {
            std::size_t i = next / m, j = next % m, in_block = 0;
            const double* pi_sink = t.pi.data() + n;
            for (std::size_t seen = 0; seen < arcs; ++seen) {
                const std::size_t k = i * m + j;
                const double rc = cost[k] + t.pi[i] - pi_sink[j];
                if (rc < best && !in_tree[k]) {
                    best = rc;
                    enter = std::int64_t(k);
                }
                if (++j == m) {
                    j = 0;
                    if (++i == n) i = 0;
                }
                if (++in_block == block) {
                    if (enter >= 0) break;
                    in_block = 0;
                }
            }
            next = i * m + j;
        }
        if (enter < 0) break;  // optimal

        const int s = int(std::size_t(enter) / m), tt = int(n + std::size_t(enter) % m);
        const double rc = cost[enter] + t.pi[s] - t.pi[tt];

        // --- the cycle: both endpoints up to their join ---
        int a = s, b = tt;
        while (a != b) {
            if (t.depth[a] > t.depth[b]) a = t.parent[a];
            else if (t.depth[b] > t.depth[a]) b = t.parent[b];
            else {
                a = t.parent[a];
                b = t.parent[b];
            }
        }
        const int join = a;

        // --- leaving arc (Cunningham: '<' on the source side, '<=' on the sink side) ---
        long long delta = kInf;
        int out_node = -1, side = 0;
        for (int w = s; w != join; w = t.parent[w]) {
            const long long d = t.up[w] ? t.flow[w] : kInf;
            if (d < delta) {
                delta = d;
                out_node = w;
                side = 1;
            }
        }
        for (int w = tt; w != join; w = t.parent[w]) {
            const long long d = t.up[w] ? kInf : t.flow[w];
            if (d <= delta) {
                delta = d;
                out_node = w;
                side = 2;
            }
        }
        if (out_node < 0) throw std::logic_error("transport_simplex: unbounded cycle");

        // --- push delta round the cycle ---
        if (delta > 0) {
            for (int w = s; w != join; w = t.parent[w]) t.flow[w] += t.up[w] ? -delta : delta;
            for (int w = tt; w != join; w = t.parent[w]) t.flow[w] += t.up[w] ? delta : -delta;
        }

        // --- re-hang the subtree of out_node from the entering arc ---
        const int u_in = side == 1 ? s : tt, v_in = side == 1 ? tt : s;
        path.clear();
        for (int w = u_in;; w = t.parent[w]) {
            path.push_back(w);
            if (w == out_node) break;
        }
        const std::int64_t leaving = t.arc[out_node];
        for (std::size_t q = path.size(); q-- > 0;) t.remove_child(path[q]);
        // Walk from u_out down to u_in, moving each path arc to the node below its old child.
        for (std::size_t q = path.size() - 1; q > 0; --q) {
            const int lower = path[q - 1], upper = path[q];
            t.arc[upper] = t.arc[lower];
            t.up[upper] = !t.up[lower];
            t.flow[upper] = t.flow[lower];
            t.add_child(lower, upper);
        }
        t.arc[u_in] = enter;
        t.up[u_in] = side == 1;  // source s under sink t: the arc goes up
        t.flow[u_in] = delta;
        t.add_child(v_in, u_in);
        in_tree[std::size_t(enter)] = 1;
        if (leaving >= 0) in_tree[std::size_t(leaving)] = 0;

        // --- potentials and depths of the moved subtree ---
        const double sigma = side == 1 ? -rc : rc;
        t.depth[u_in] = t.depth[v_in] + 1;
        t.pi[u_in] += sigma;
        stack.assign(1, u_in);
        while (!stack.empty()) {
            const int v = stack.back();
            stack.pop_back();
            for (int c = t.first_child[v]; c >= 0; c = t.next_sibling[c]) {
                t.depth[c] = t.depth[v] + 1;
                t.pi[c] += sigma;
                stack.push_back(c);
            }
        }
        ++out.pivots;
    }

    out.feasible = true;
    for (std::size_t v = 0; v < n + m; ++v) {
        if (t.flow[v] == 0) continue;
        if (t.arc[v] < 0) {  // flow left on an artificial arc: supplies and demands did not meet
            out.feasible = false;
            continue;
        }
        const std::size_t i = std::size_t(t.arc[v]) / m, j = std::size_t(t.arc[v]) % m;
        out.flows.push_back({i, j, t.flow[v]});
        out.cost += static_cast<long double>(t.flow[v]) * static_cast<long double>(cost[t.arc[v]]);
    }
    return out;
}

}  // namespace geoenc::ot
