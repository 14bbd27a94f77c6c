"""Run the reference solutions in questions/coding.yaml and check that they are correct.

Each runnable question's first ```python block is executed in a fresh namespace and its functions are
checked against hand-made cases, edge cases and brute-force references. Needs only PyYAML, NumPy, pytest.
"""

import contextlib
import copy
import io
import itertools
import math
import random
import re
import statistics
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml

BANK_FILE = Path(__file__).parents[2] / "questions" / "coding.yaml"
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


@pytest.fixture(scope="module")
def questions():
    data = yaml.safe_load(BANK_FILE.read_text(encoding="utf-8"))
    return {q["id"]: q for q in data["questions"]}


def first_python_block(questions, qid):
    assert qid in questions, f"question {qid!r} is missing from {BANK_FILE.name}"
    match = PYTHON_BLOCK.search(questions[qid]["answer"])
    assert match, f"question {qid!r} has no ```python block"
    return match.group(1)


def run_block(questions, qid):
    """Exec the question's first python block in a fresh namespace; return (namespace, stdout)."""
    code = first_python_block(questions, qid)
    namespace = {"__name__": f"bank_{qid.replace('-', '_')}"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"<{qid}>", "exec"), namespace)
    return namespace, out.getvalue()


@pytest.fixture
def load(questions):
    def _load(qid):
        return run_block(questions, qid)[0]

    return _load


def test_topic_and_runnable_questions_present(questions):
    data = yaml.safe_load(BANK_FILE.read_text(encoding="utf-8"))
    assert data["topic"] == {"id": "coding", "name_zh": "手撕代码", "name_en": "Coding interview", "order": 9}
    assert len(questions) == 13
    for qid in questions:
        for code in PYTHON_BLOCK.findall(questions[qid]["answer"]):
            compile(code, f"<{qid}>", "exec")


# ---------------------------------------------------------------- linked list intersection


def test_linked_list_intersection(load):
    ns = load("coding-linked-list-intersection")
    node_cls, find = ns["ListNode"], ns["get_intersection_node"]

    def chain(values, tail=None):
        head = tail
        nodes = []
        for v in reversed(values):
            head = node_cls(v, head)
            nodes.append(head)
        return head, list(reversed(nodes))

    common, common_nodes = chain([8, 4, 5])
    a, _ = chain([4, 1], common)
    b, _ = chain([5, 6, 1], common)
    assert find(a, b) is common_nodes[0]
    assert find(b, a) is common_nodes[0]

    # equal values are not a shared node
    x, _ = chain([1, 2, 3])
    y, _ = chain([1, 2, 3])
    assert find(x, y) is None

    # empty inputs
    assert find(None, x) is None
    assert find(x, None) is None
    assert find(None, None) is None

    # same list, single node, one list is the suffix of the other
    single, _ = chain([7])
    assert find(single, single) is single
    assert find(x, x) is x
    tail_node = x.next.next
    assert find(x, tail_node) is tail_node
    assert find(tail_node, x) is tail_node

    # lengths of every combination, intersection at different depths
    for la, lb, lc in itertools.product(range(4), range(4), range(4)):
        shared, shared_nodes = chain(list(range(100, 100 + lc)))
        ha, _ = chain(list(range(la)), shared)
        hb, _ = chain(list(range(lb)), shared)
        expected = shared_nodes[0] if lc else None
        assert find(ha, hb) is expected, (la, lb, lc)


# ---------------------------------------------------------------- tuple demo


def test_tuple_demo_runs_and_shows_the_points(questions):
    ns, out = run_block(questions, "coding-tuple-mutable-elements")
    assert "([1, 2, 3], 'a')" in out
    assert "unhashable type: 'list'" in out
    assert "([1, 2, 3, 4], 'a')" in out  # `t[0] += [4]` raised, yet the list was modified
    assert ns["t"] == ([1, 2, 3, 4], "a")


# ---------------------------------------------------------------- heap sort


def test_heap_sort(load):
    heap_sort = load("coding-heap-sort-priority-queue")["heap_sort"]
    cases = [[], [1], [2, 1], [1, 2], [3, 3, 3], [0, 0, 0, 0], [5, -1, 3, -1, 0, 9, 9, 2], [-3, -2, -1]]
    rng = random.Random(1)
    cases += [[rng.randint(-20, 20) for _ in range(rng.randint(0, 40))] for _ in range(300)]
    cases += [[rng.random() for _ in range(101)]]
    for case in cases:
        arr = list(case)
        result = heap_sort(arr)
        assert arr == sorted(case), case  # sorts in place
        assert result is None or result == sorted(case)


# ---------------------------------------------------------------- stable sort


def test_merge_sort_is_correct_and_stable(load):
    merge_sort = load("coding-stable-sort")["merge_sort"]
    assert merge_sort([]) == []
    assert merge_sort([1]) == [1]
    assert merge_sort([2, 1, 2, 1]) == [1, 1, 2, 2]
    records = [("bob", 90), ("amy", 85), ("cat", 90), ("dan", 85)]
    assert merge_sort(records, key=lambda r: r[1]) == [("amy", 85), ("dan", 85), ("bob", 90), ("cat", 90)]
    rng = random.Random(2)
    for _ in range(300):
        items = [(rng.randint(0, 4), i) for i in range(rng.randint(0, 30))]
        original = list(items)
        result = merge_sort(items, key=lambda t: t[0])
        assert items == original  # input not modified
        assert result == sorted(items, key=lambda t: t[0])  # Python's sort is stable: same tie order


# ---------------------------------------------------------------- balanced binary tree


def test_is_balanced(load):
    ns = load("coding-balanced-binary-tree")
    node, is_balanced = ns["TreeNode"], ns["is_balanced"]
    assert is_balanced(None) is True
    assert is_balanced(node(1)) is True
    assert is_balanced(node(1, node(2))) is True
    assert is_balanced(node(1, node(2, node(3)))) is False  # left chain of 3
    assert is_balanced(node(1, None, node(2, None, node(3)))) is False
    perfect = node(1, node(2, node(4), node(5)), node(3, node(6), node(7)))
    assert is_balanced(perfect) is True
    # root heights differ by 1 but the left subtree itself is unbalanced
    bad_inside = node(1, node(2, node(3, node(4))), node(5, node(6)))
    assert is_balanced(bad_inside) is False
    # heights 2 and 1 at every level: balanced
    assert is_balanced(node(1, node(2, node(4), node(5, node(8))), node(3, node(6)))) is True

    def height(t):
        return 0 if t is None else 1 + max(height(t.left), height(t.right))

    def brute(t):
        return t is None or (abs(height(t.left) - height(t.right)) <= 1 and brute(t.left) and brute(t.right))

    rng = random.Random(3)

    def random_tree(depth):
        if depth == 0 or rng.random() < 0.25:
            return None
        return node(0, random_tree(depth - 1), random_tree(depth - 1))

    for _ in range(500):
        t = random_tree(6)
        assert is_balanced(t) == brute(t)


# ---------------------------------------------------------------- median


def test_median(load):
    ns = load("coding-array-median")
    median, quickselect = ns["median"], ns["quickselect"]
    assert median([5]) == 5
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5  # even length: mean of the two middle values
    assert median([1, 2]) == 1.5
    assert median([0, 0, 0, 0]) == 0
    assert median([7, 7, 7, 1, 7]) == 7
    assert median([-5, -1, -3]) == -3
    with pytest.raises(ValueError):
        median([])
    data = [9, 2, 7, 2, 5]
    median(data)
    assert data == [9, 2, 7, 2, 5]  # input not modified

    rng = random.Random(4)
    for _ in range(400):
        arr = [rng.randint(-10, 10) for _ in range(rng.randint(1, 30))]
        assert median(arr) == statistics.median(arr), arr
        k = rng.randrange(len(arr))
        assert quickselect(arr, k) == sorted(arr)[k]
    # many duplicates and a larger input stay fast and correct
    many = [1] * 20000 + [2] * 5
    assert median(many) == 1
    big = [rng.random() for _ in range(20001)]
    assert median(big) == statistics.median(big)


# ---------------------------------------------------------------- house robber


def test_house_robber(load):
    rob = load("coding-house-robber")["rob"]
    assert rob([]) == 0
    assert rob([5]) == 5
    assert rob([0, 0, 0]) == 0
    assert rob([1, 2, 3, 1]) == 4
    assert rob([2, 7, 9, 3, 1]) == 12
    assert rob([2, 1, 1, 2]) == 4

    def brute(nums):
        best = 0
        for mask in range(1 << len(nums)):
            if mask & (mask >> 1):
                continue
            best = max(best, sum(x for i, x in enumerate(nums) if mask >> i & 1))
        return best

    rng = random.Random(5)
    for _ in range(300):
        nums = [rng.randint(0, 20) for _ in range(rng.randint(0, 12))]
        assert rob(nums) == brute(nums), nums


# ---------------------------------------------------------------- set matrix zeroes


def test_set_matrix_zeroes(load):
    set_zeroes = load("coding-set-matrix-zeroes")["set_zeroes"]

    def naive(matrix):
        rows = {i for i, row in enumerate(matrix) for v in row if v == 0}
        cols = {j for row in matrix for j, v in enumerate(row) if v == 0}
        return [[0 if i in rows or j in cols else v for j, v in enumerate(row)] for i, row in enumerate(matrix)]

    def check(matrix, expected=None):
        want = naive(matrix) if expected is None else expected
        m = copy.deepcopy(matrix)
        set_zeroes(m)  # in place
        assert m == want, matrix

    check([[1, 1, 1], [1, 0, 1], [1, 1, 1]], [[1, 0, 1], [0, 0, 0], [1, 0, 1]])
    check([[0, 1, 2, 0], [3, 4, 5, 2], [1, 3, 1, 5]], [[0, 0, 0, 0], [0, 4, 5, 0], [0, 3, 1, 0]])
    check([[0]], [[0]])
    check([[5]], [[5]])
    check([[1, 0, 3]], [[0, 0, 0]])
    check([[1], [0], [3]], [[0], [0], [0]])
    check([[0, 0], [0, 0]], [[0, 0], [0, 0]])
    check([[1, 2], [3, 4]], [[1, 2], [3, 4]])
    check([[1, 2, 3], [4, 5, 6], [7, 8, 0]], [[1, 2, 0], [4, 5, 0], [0, 0, 0]])
    check([[1, 1], [0, 1]], [[0, 1], [0, 0]])  # zero in the first column only
    check([[1, 0], [1, 1]], [[0, 0], [1, 0]])  # zero in the first row only
    empty = []
    set_zeroes(empty)
    assert empty == []

    rng = random.Random(6)
    for _ in range(500):
        m, n = rng.randint(1, 6), rng.randint(1, 6)
        matrix = [[0 if rng.random() < 0.15 else rng.randint(1, 9) for _ in range(n)] for _ in range(m)]
        check(matrix)


# ---------------------------------------------------------------- jump game


def test_jump_game(load):
    can_jump = load("coding-jump-game")["can_jump"]
    assert can_jump([2, 3, 1, 1, 4]) is True
    assert can_jump([3, 2, 1, 0, 4]) is False
    assert can_jump([0]) is True  # n = 1: already at the end
    assert can_jump([5]) is True
    assert can_jump([0, 1]) is False
    assert can_jump([1, 0]) is True
    assert can_jump([0, 0, 0]) is False
    assert can_jump([2, 0, 0]) is True

    def brute(nums):
        reach = [False] * len(nums)
        reach[0] = True
        for i, step in enumerate(nums):
            if reach[i]:
                for j in range(i + 1, min(len(nums), i + step + 1)):
                    reach[j] = True
        return reach[-1]

    rng = random.Random(7)
    for _ in range(1000):
        nums = [rng.randint(0, 3) for _ in range(rng.randint(1, 12))]
        assert can_jump(nums) == brute(nums), nums


# ---------------------------------------------------------------- shuffle


def permutation_counts(shuffle, trials, rng):
    return Counter(tuple(shuffle([0, 1, 2], rng)) for _ in range(trials))


def looks_uniform(counts, trials, n_perms=6, tolerance=0.05):
    expected = trials / n_perms
    return len(counts) == n_perms and all(abs(c - expected) <= tolerance * expected for c in counts.values())


def test_shuffle_is_a_permutation(load):
    shuffle = load("coding-shuffle-array")["shuffle"]
    rng = random.Random(8)
    assert shuffle([], rng) == []
    assert shuffle([42], rng) == [42]
    for n in (2, 5, 50):
        arr = [*range(n), 1, 1]  # with duplicates
        original = sorted(arr)
        result = shuffle(arr, rng)
        assert sorted(arr) == original  # in place, same multiset
        assert result is None or result is arr
    shuffle([3, 1, 2])  # the default generator works too


def test_shuffle_is_uniform(load):
    shuffle = load("coding-shuffle-array")["shuffle"]

    def shuffled(a, rng):
        shuffle(a, rng)
        return a

    trials = 60000
    counts = permutation_counts(shuffled, trials, random.Random(9))
    assert looks_uniform(counts, trials), counts

    def run(seed):  # same seed, same sequence of permutations
        rng = random.Random(seed)
        return [tuple(shuffled(list(range(6)), rng)) for _ in range(5)]

    assert run(10) == run(10)
    assert len(set(run(10))) > 1


def test_uniformity_check_rejects_the_naive_shuffle():
    def naive(a, rng):  # swap every position with any index: biased (4/27 vs 5/27 for n = 3)
        for i in range(len(a)):
            j = rng.randint(0, len(a) - 1)
            a[i], a[j] = a[j], a[i]
        return a

    trials = 60000
    assert not looks_uniform(permutation_counts(naive, trials, random.Random(9)), trials)


# ---------------------------------------------------------------- BERT + LoRA


def run_all_blocks(questions, qid):
    """Exec every python block of the answer, in order, in one namespace (the answer builds up its code)."""
    namespace = {"__name__": f"bank_{qid.replace('-', '_')}"}
    with contextlib.redirect_stdout(io.StringIO()):
        for code in PYTHON_BLOCK.findall(questions[qid]["answer"]):
            exec(compile(code, f"<{qid}>", "exec"), namespace)
    return namespace


def test_lora_trains_only_a_and_b_with_the_right_gradients(questions):
    ns = run_all_blocks(questions, "coding-bert-lora")
    lora_linear = ns["LoRALinear"]
    rng = np.random.default_rng(3)
    layer = lora_linear(12, 7, rng, r=3, alpha=6, dropout=0.0)
    bound = 1 / math.sqrt(12)  # PEFT: kaiming_uniform_(a=sqrt(5)) on fan_in = d_in
    assert np.all(np.abs(layer.A) <= bound) and layer.A.std() > bound / 4
    assert np.all(layer.B == 0) and layer.scale == 2.0
    assert set(layer.trainable()) == {"A", "B"}  # the frozen weights are not handed to the optimiser
    big = lora_linear(768, 768, np.random.default_rng(0), r=8)
    assert big.A.size + big.B.size == 12288 and big.W0.size == 589824  # the answer's "about 1/48"
    layer.B = rng.normal(size=layer.B.shape)  # away from the start, so that A has a gradient too
    x, target = rng.normal(size=(5, 12)), rng.normal(size=(5, 7))

    def loss():
        return float(((layer(x) - target) ** 2).sum())

    def numeric_gradient(array):
        """Central differences of the loss, one entry of `array` (changed in place, then restored) at a time."""
        numeric = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            old = array[index]
            array[index] = old + 1e-6
            up = loss()
            array[index] = old - 1e-6
            numeric[index] = (up - loss()) / 2e-6
            array[index] = old
        return numeric

    y = layer(x)
    grad_x = layer.backward(2 * (y - target))
    for name in ("A", "B"):  # the hand-written backward pass against finite differences
        numeric = numeric_gradient(layer.trainable()[name])
        np.testing.assert_allclose(layer.grads[name], numeric, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(grad_x, numeric_gradient(x), rtol=1e-4, atol=1e-6)
    w0 = layer.W0.copy()
    layer.step(lr=1e-3)
    assert np.array_equal(layer.W0, w0)
    assert loss() < float(((y - target) ** 2).sum())  # the step helped
    # dropout: only the branch's input, only in training; merged weights reproduce inference
    dropped = lora_linear(12, 7, np.random.default_rng(4), r=3, alpha=6, dropout=0.5)
    dropped.B = rng.normal(size=dropped.B.shape)
    dropped.training = False
    np.testing.assert_allclose(dropped(x), x @ dropped.merged_weight() + dropped.b, atol=1e-12)
    dropped.training = True
    assert not np.allclose(dropped(x), dropped(x))  # a fresh mask each call
    dropped.B[:] = 0
    np.testing.assert_allclose(dropped(x), x @ dropped.W0 + dropped.b, atol=1e-12)  # base path never dropped


def test_bert_lora(questions):
    ns = run_all_blocks(questions, "coding-bert-lora")
    bert_layer, lora_linear = ns["BertLayer"], ns["LoRALinear"]
    rng = np.random.default_rng(0)

    layer = bert_layer(d=32, heads=4, d_ff=64, r=4, alpha=8, seed=1)
    x = rng.normal(size=(3, 7, 32))
    out = layer(x)
    assert out.shape == (3, 7, 32)
    assert np.all(np.isfinite(out))
    assert bert_layer()(rng.normal(size=(2, 5, 64))).shape == (2, 5, 64)
    assert layer(rng.normal(size=(1, 1, 32))).shape == (1, 1, 32)  # batch 1, one token
    # post-LN output: zero mean, unit variance over the hidden size
    np.testing.assert_allclose(out.mean(-1), 0, atol=1e-8)
    np.testing.assert_allclose(out.std(-1), 1, atol=1e-4)

    # LoRA is a no-op at initialisation: the layer equals the frozen layer (LoRA branch removed)
    lora_modules = [m for m in vars(layer).values() if isinstance(m, lora_linear)]
    assert lora_modules, "no LoRALinear inside BertLayer"
    frozen = copy.deepcopy(layer)
    for name, module in vars(frozen).items():
        if isinstance(module, lora_linear):
            module.A = np.zeros_like(module.A)
            module.scale = 0.0
            assert np.all(module.B == 0), f"{name}.B is not zero-initialised"
    np.testing.assert_allclose(layer(x), frozen(x), rtol=0, atol=1e-12)

    lin = lora_linear(6, 5, np.random.default_rng(2), r=2, alpha=4)
    z = rng.normal(size=(4, 6))
    np.testing.assert_allclose(lin(z), z @ lin.W0 + lin.b, rtol=0, atol=1e-12)
    assert lin.A.shape == (6, 2)
    assert lin.B.shape == (2, 5)
    assert lin.scale == 2.0

    # after B becomes non-zero the output changes, and merging the weights reproduces it
    lin.B = rng.normal(size=lin.B.shape)
    np.testing.assert_allclose(lin(z), z @ lin.W0 + lin.b + 2.0 * (z @ lin.A) @ lin.B, atol=1e-12)
    assert not np.allclose(lin(z), z @ lin.W0 + lin.b)
    np.testing.assert_allclose(lin(z), z @ lin.merged_weight() + lin.b, atol=1e-12)

    for module in lora_modules:
        module.B = rng.normal(0, 0.5, size=module.B.shape)
    changed = layer(x)
    assert changed.shape == out.shape
    assert not np.allclose(changed, out)

    # padding tokens do not affect the real tokens
    mask = np.array([[1, 1, 1, 1, 0, 0, 0]] * 3)
    x2 = x.copy()
    x2[:, 4:] = rng.normal(size=(3, 3, 32))
    np.testing.assert_allclose(layer(x, mask)[:, :4], layer(x2, mask)[:, :4], atol=1e-10)
    assert not np.allclose(layer(x)[:, :4], layer(x2)[:, :4])


# ---------------------------------------------------------------- nDCG, AUC, ROC


def test_ndcg(load):
    ns = load("coding-ndcg-auc-roc")
    dcg, ndcg = ns["dcg_at_k"], ns["ndcg_at_k"]
    log2_3 = math.log2(3)
    assert dcg([], 5) == 0
    assert dcg([3], 1) == 7  # 2^3 - 1, no discount at rank 1
    assert dcg([1, 0], 2) == 1
    assert dcg([0, 1], 2) == pytest.approx(1 / log2_3)
    assert dcg([3, 2, 1], 3) == pytest.approx(7 + 3 / log2_3 + 1 / 2)
    assert ndcg([1, 0], 2) == pytest.approx(1.0)
    assert ndcg([0, 1], 2) == pytest.approx(1 / log2_3)  # ~0.6309
    assert ndcg([0, 1], 1) == 0
    assert ndcg([0, 0, 0], 3) == 0  # no relevant document: defined as 0
    assert ndcg([], 3) == 0
    assert ndcg([2], 1) == pytest.approx(1.0)
    # [1, 2, 0]: DCG = 1 + 3/log2(3); IDCG over [2, 1, 0] = 3 + 1/log2(3)
    assert ndcg([1, 2, 0], 3) == pytest.approx((1 + 3 / log2_3) / (3 + 1 / log2_3))
    assert ndcg([1, 2, 0], 10) == pytest.approx((1 + 3 / log2_3) / (3 + 1 / log2_3))  # k > length
    assert ndcg([1, 2, 0], 1) == pytest.approx(1 / 3)
    # ideal ranking taken from all judged documents of the query
    assert ndcg([1, 0], 2, all_rels=[1, 0, 2]) == pytest.approx(1 / (3 + 1 / log2_3))
    assert ndcg([3, 2, 1, 0], 4) == pytest.approx(1.0)


def brute_force_auc(labels, scores):
    pos = [s for s, y in zip(scores, labels, strict=True) if y == 1]
    neg = [s for s, y in zip(scores, labels, strict=True) if y == 0]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def trapezoid_area(points):
    return sum((x2 - x1) * (y1 + y2) / 2 for (x1, y1), (x2, y2) in itertools.pairwise(points))


def test_auc_and_roc(load):
    ns = load("coding-ndcg-auc-roc")
    auc, roc_curve = ns["auc"], ns["roc_curve"]
    assert auc([0, 1], [0.1, 0.9]) == 1.0
    assert auc([1, 0], [0.1, 0.9]) == 0.0
    assert auc([1, 0], [0.5, 0.5]) == 0.5  # a tie counts one half
    assert auc([1, 1, 0, 0], [0.3, 0.3, 0.3, 0.3]) == 0.5
    assert auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    assert auc([1, 0, 1, 0], [0.9, 0.9, 0.1, 0.2]) == 0.375  # (0.5 + 1 + 0 + 0) / 4
    with pytest.raises(ValueError):
        auc([1, 1], [0.2, 0.3])
    with pytest.raises(ValueError):
        auc([0], [0.2])

    points = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    assert points[0] == (0.0, 0.0)
    assert points[-1] == (1.0, 1.0)
    assert points == [(0.0, 0.0), (0.0, 0.5), (0.5, 0.5), (0.5, 1.0), (1.0, 1.0)]
    assert roc_curve([1, 0], [0.5, 0.5]) == [(0.0, 0.0), (1.0, 1.0)]  # tie: one diagonal step

    rng = random.Random(11)
    for _ in range(500):
        n = rng.randint(2, 40)
        labels = [rng.randint(0, 1) for _ in range(n)]
        if len(set(labels)) < 2:
            labels[0], labels[-1] = 0, 1
        scores = [rng.randint(0, 5) / 5 for _ in range(n)]  # coarse scores: many ties
        expected = brute_force_auc(labels, scores)
        assert auc(labels, scores) == pytest.approx(expected), (labels, scores)
        pts = roc_curve(labels, scores)
        assert pts[0] == (0.0, 0.0)
        assert pts[-1] == pytest.approx((1.0, 1.0))
        assert all(a[0] <= b[0] and a[1] <= b[1] for a, b in itertools.pairwise(pts))
        assert trapezoid_area(pts) == pytest.approx(expected)
