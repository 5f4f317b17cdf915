"""Sentence templates and facts for ``bench/make_library.py``.

Every template is written for this benchmark (no sentence is copied from a paper); the facts
it is filled with (which model family has which sizes, who argued what, which paper is where)
are real. Slots: ``{task}``, ``{family}``, ``{small}``/``{large}`` (two sizes of that family,
small < large), ``{size_lo}``/``{size_hi}`` (a range), ``{acc0}``/``{acc1}`` (accuracy below /
above the jump), ``{metric}``, ``{smooth_metric}``, ``{flops}``, ``{n}``, ``{k}``, ``{seeds}``,
``{lr}``, ``{steps}``, ``{batch}``, ``{tokens}``, ``{fig}``, ``{tab}``, ``{sec}``, ``{ntasks}``.
Citations: ``@key`` is a narrative citation ("Wei et al. (2022)", "Wei 等人[3]") and ``[@key]``
a parenthetical one ("(Wei et al., 2022)", "[3]").

Kinds (the gold label of each sentence): ``claim`` and the non-claims ``caption``,
``methods``, ``reference``, ``header``, ``footer``, ``question`` (questions and reminders to
oneself), ``boilerplate``, ``roadmap`` (structure: "Section 4 reports..."; "Figure 2 plots...")
``other`` (prose outside the debate), ``heading``, ``figure`` (text inside a plot), ``table``.
"""

from __future__ import annotations

# ----------------------------------------------------------------------------------------
# Facts

FAMILIES: dict[str, list[str]] = {
    "GPT-3": ["125M", "350M", "760M", "1.3B", "2.7B", "6.7B", "13B", "175B"],
    "LaMDA": ["2B", "8B", "68B", "137B"],
    "PaLM": ["8B", "62B", "540B"],
    "Gopher": ["44M", "417M", "1.4B", "7.1B", "280B"],
    "Pythia": ["70M", "160M", "410M", "1B", "1.4B", "2.8B", "6.9B", "12B"],
    "OPT": ["125M", "1.3B", "6.7B", "13B", "30B", "66B", "175B"],
    "BLOOM": ["560M", "1.1B", "3B", "7.1B", "176B"],
    "LLaMA": ["7B", "13B", "33B", "65B"],
    "Qwen": ["0.5B", "1.8B", "7B", "14B", "72B"],
}

TASKS_EN = [
    "three-digit addition",
    "modular arithmetic",
    "word unscrambling",
    "IPA transliteration",
    "MMLU",
    "TruthfulQA",
    "grounded conceptual mappings",
    "word-in-context disambiguation",
    "GSM8K word problems",
    "logical deduction",
    "Persian question answering",
    "figure-of-speech detection",
    "emoji movie guessing",
    "program execution with a scratchpad",
    "instruction following",
    "multi-step arithmetic",
    "last-letter concatenation",
    "sports understanding",
]
TASKS_ZH = [
    "三位数加法",
    "模运算",
    "单词还原",
    "国际音标转写",
    "MMLU",
    "TruthfulQA",
    "概念映射",
    "词义消歧",
    "GSM8K 数学应用题",
    "逻辑推理",
    "波斯语问答",
    "修辞识别",
    "表情符号猜电影",
    "借助草稿纸的程序执行",
    "指令遵循",
    "多步算术",
    "末字母拼接",
    "体育常识理解",
]
METRICS_EN = ["exact match", "multiple-choice grade", "BLEU", "exact string match"]
SMOOTH_METRICS_EN = [
    "token edit distance",
    "the Brier score",
    "per-token log-likelihood",
    "the probability of the correct answer",
]
METRICS_ZH = ["精确匹配", "多项选择得分", "BLEU", "完全字符串匹配"]
SMOOTH_METRICS_ZH = ["词元编辑距离", "Brier 分数", "逐词元对数似然", "正确答案的概率"]
FLOPS = ["10^22", "10^23", "10^24", "3×10^22", "2×10^23"]
CORPORA_EN = [
    "a deduplicated web corpus",
    "the Pile",
    "a mixture of web text, books and code",
    "C4",
    "a filtered Common Crawl snapshot",
]
CORPORA_ZH = [
    "一个去重后的网页语料",
    "the Pile",
    "网页、书籍和代码混合语料",
    "C4",
    "过滤后的 Common Crawl 快照",
]

# Who said what (narrative citation keys used in the templates).
REFERENCES: dict[str, tuple[str, str, str, str]] = {
    # key: (authors, title, venue, year)
    "wei": (
        "Wei, J., Tay, Y., Bommasani, R., Raffel, C., Zoph, B., Borgeaud, S., Yogatama, D., "
        "Bosma, M., Zhou, D., Metzler, D., Chi, E. H., Hashimoto, T., Vinyals, O., Liang, P., "
        "Dean, J., and Fedus, W.",
        "Emergent abilities of large language models",
        "Transactions on Machine Learning Research",
        "2022",
    ),
    "schaeffer": (
        "Schaeffer, R., Miranda, B., and Koyejo, S.",
        "Are emergent abilities of large language models a mirage?",
        "In Advances in Neural Information Processing Systems",
        "2023",
    ),
    "kaplan": (
        "Kaplan, J., McCandlish, S., Henighan, T., Brown, T. B., Chess, B., Child, R., "
        "Gray, S., Radford, A., Wu, J., and Amodei, D.",
        "Scaling laws for neural language models",
        "arXiv preprint arXiv:2001.08361",
        "2020",
    ),
    "hoffmann": (
        "Hoffmann, J., Borgeaud, S., Mensch, A., Buchatskaya, E., Cai, T., Rutherford, E., et al.",
        "Training compute-optimal large language models",
        "In Advances in Neural Information Processing Systems",
        "2022",
    ),
    "brown": (
        "Brown, T. B., Mann, B., Ryder, N., Subbiah, M., Kaplan, J., Dhariwal, P., et al.",
        "Language models are few-shot learners",
        "In Advances in Neural Information Processing Systems",
        "2020",
    ),
    "srivastava": (
        "Srivastava, A., Rastogi, A., Rao, A., Shoeb, A. A. M., Abid, A., Fisch, A., et al.",
        "Beyond the imitation game: Quantifying and extrapolating the capabilities of "
        "language models",
        "Transactions on Machine Learning Research",
        "2023",
    ),
    "ganguli": (
        "Ganguli, D., Hernandez, D., Lovitt, L., Askell, A., Bai, Y., Chen, A., et al.",
        "Predictability and surprise in large generative models",
        "In Proceedings of the ACM Conference on Fairness, Accountability, and Transparency",
        "2022",
    ),
    "power": (
        "Power, A., Burda, Y., Edwards, H., Babuschkin, I., and Misra, V.",
        "Grokking: Generalization beyond overfitting on small algorithmic datasets",
        "arXiv preprint arXiv:2201.02177",
        "2022",
    ),
    "lu": (
        "Lu, S., Bigoulaeva, I., Sachdeva, R., Madabushi, H. T., and Gurevych, I.",
        "Are emergent abilities in large language models just in-context learning?",
        "In Proceedings of the 62nd Annual Meeting of the Association for Computational "
        "Linguistics",
        "2024",
    ),
    "du": (
        "Du, Z., Zeng, A., Dong, Y., and Tang, J.",
        "Understanding emergent abilities of language models from the loss perspective",
        "In Advances in Neural Information Processing Systems",
        "2024",
    ),
    "rogers": (
        "Rogers, A. and Luccioni, A. S.",
        "Position: Key claims in LLM research have a long tail of footnotes",
        "In Proceedings of the 41st International Conference on Machine Learning",
        "2024",
    ),
    "anderson": (
        "Anderson, P. W.",
        "More is different",
        "Science, 177(4047):393-396",
        "1972",
    ),
    "weicot": (
        "Wei, J., Wang, X., Schuurmans, D., Bosma, M., Ichter, B., Xia, F., Chi, E., Le, Q., "
        "and Zhou, D.",
        "Chain-of-thought prompting elicits reasoning in large language models",
        "In Advances in Neural Information Processing Systems",
        "2022",
    ),
    "steinhardt": (
        "Steinhardt, J.",
        "Future ML systems will be qualitatively different",
        "Bounded Regret (blog)",
        "2022",
    ),
    "arora": (
        "Arora, S. and Goyal, A.",
        "A theory for emergence of complex skills and compositional generalization in "
        "language models",
        "arXiv preprint arXiv:2307.15936",
        "2023",
    ),
    "michaud": (
        "Michaud, E. J., Liu, Z., Girit, U., and Tegmark, M.",
        "The quantization model of neural scaling",
        "In Advances in Neural Information Processing Systems",
        "2023",
    ),
    "barak": (
        "Barak, B., Edelman, B. L., Goel, S., Kakade, S., Malach, E., and Zhang, C.",
        "Hidden progress in deep learning: SGD learns parities near the computational limit",
        "In Advances in Neural Information Processing Systems",
        "2022",
    ),
    "hu": (
        "Hu, S., Liu, X., Han, X., Zhang, X., He, C., Zhao, W., et al.",
        "Predicting emergent abilities with infinite resolution evaluation",
        "In International Conference on Learning Representations",
        "2024",
    ),
    "snell": (
        "Snell, C., Wallace, E., Klein, D., and Levine, S.",
        "Predicting emergent capabilities by finetuning",
        "arXiv preprint arXiv:2411.16035",
        "2024",
    ),
    "mckenzie": (
        "McKenzie, I. R., Lyzhov, A., Pieler, M., Parrish, A., Mueller, A., Prabhu, A., et al.",
        "Inverse scaling: When bigger isn't better",
        "Transactions on Machine Learning Research",
        "2023",
    ),
    "olsson": (
        "Olsson, C., Elhage, N., Nanda, N., Joseph, N., DasSarma, N., Henighan, T., et al.",
        "In-context learning and induction heads",
        "Transformer Circuits Thread",
        "2022",
    ),
    "nanda": (
        "Nanda, N., Chan, L., Lieberum, T., Smith, J., and Steinhardt, J.",
        "Progress measures for grokking via mechanistic interpretability",
        "In International Conference on Learning Representations",
        "2023",
    ),
    "berti": (
        "Berti, L., Giorgi, F., and Kasneci, G.",
        "Emergent abilities in large language models: A survey",
        "arXiv preprint arXiv:2503.05788",
        "2025",
    ),
    "ruan": (
        "Ruan, Y., Maddison, C. J., and Hashimoto, T.",
        "Observational scaling laws and the predictability of language model performance",
        "In Advances in Neural Information Processing Systems",
        "2024",
    ),
    "chowdhery": (
        "Chowdhery, A., Narang, S., Devlin, J., Bosma, M., Mishra, G., Roberts, A., et al.",
        "PaLM: Scaling language modeling with pathways",
        "Journal of Machine Learning Research, 24(240):1-113",
        "2023",
    ),
    "rae": (
        "Rae, J. W., Borgeaud, S., Cai, T., Millican, K., Hoffmann, J., Song, F., et al.",
        "Scaling language models: Methods, analysis & insights from training Gopher",
        "arXiv preprint arXiv:2112.11446",
        "2021",
    ),
    "biderman": (
        "Biderman, S., Schoelkopf, H., Anthony, Q., Bradley, H., O'Brien, K., Hallahan, E., et al.",
        "Pythia: A suite for analyzing large language models across training and scaling",
        "In Proceedings of the 40th International Conference on Machine Learning",
        "2023",
    ),
    "bommasani": (
        "Bommasani, R., Hudson, D. A., Adeli, E., Altman, R., Arora, S., von Arx, S., et al.",
        "On the opportunities and risks of foundation models",
        "arXiv preprint arXiv:2108.07258",
        "2021",
    ),
    "chan": (
        "Chan, S. C. Y., Santoro, A., Lampinen, A. K., Wang, J. X., Singh, A., Richemond, P. H., "
        "McClelland, J., and Hill, F.",
        "Data distributional properties drive emergent in-context learning in transformers",
        "In Advances in Neural Information Processing Systems",
        "2022",
    ),
    "gao": (
        "Gao, L., Biderman, S., Black, S., Golding, L., Hoppe, T., Foster, C., et al.",
        "The Pile: An 800GB dataset of diverse text for language modeling",
        "arXiv preprint arXiv:2101.00027",
        "2020",
    ),
    "hendrycks": (
        "Hendrycks, D., Burns, C., Basart, S., Zou, A., Mazeika, M., Song, D., and Steinhardt, J.",
        "Measuring massive multitask language understanding",
        "In International Conference on Learning Representations",
        "2021",
    ),
    "cobbe": (
        "Cobbe, K., Kosaraju, V., Bavarian, M., Chen, M., Jun, H., Kaiser, L., et al.",
        "Training verifiers to solve math word problems",
        "arXiv preprint arXiv:2110.14168",
        "2021",
    ),
    "nye": (
        "Nye, M., Andreassen, A. J., Gur-Ari, G., Michalewski, H., Austin, J., Bieber, D., et al.",
        "Show your work: Scratchpads for intermediate computation with language models",
        "arXiv preprint arXiv:2112.00114",
        "2021",
    ),
    "kadavath": (
        "Kadavath, S., Conerly, T., Askell, A., Henighan, T., Drain, D., Perez, E., et al.",
        "Language models (mostly) know what they know",
        "arXiv preprint arXiv:2207.05221",
        "2022",
    ),
    "openai": ("OpenAI", "GPT-4 technical report", "arXiv preprint arXiv:2303.08774", "2023"),
}

# Surnames for the author line of narrative citations.
FIRST_AUTHOR = {key: value[0].split(",")[0] for key, value in REFERENCES.items()}
FIRST_AUTHOR["rogers"] = "Rogers and Luccioni"
FIRST_AUTHOR["arora"] = "Arora and Goyal"
SOLO = {"anderson", "steinhardt", "openai"}

# Made-up filler references (clearly generic titles, invented names).
FILLER_SURNAMES = [
    "Lindqvist",
    "Okafor",
    "Marchetti",
    "Tanaka",
    "Novak",
    "Delacroix",
    "Haddad",
    "Kowalski",
    "Brennan",
    "Iyer",
    "Sørensen",
    "Castillo",
    "Mbeki",
    "Hartmann",
    "Yilmaz",
    "Fontaine",
]
FILLER_TITLES = [
    "On the predictability of few-shot arithmetic across model scales",
    "Measuring sudden capability gains with continuous metrics",
    "Scaling curves for symbolic reasoning benchmarks",
    "What pre-training loss tells us about downstream accuracy",
    "Sub-skill composition and the shape of learning curves",
    "A closer look at threshold effects in language model evaluation",
    "Benchmark contamination and apparent generalization",
    "Smooth progress behind discontinuous scores",
    "Forecasting downstream performance from small models",
    "In-context learning as implicit task retrieval",
]
FILLER_VENUES = [
    "In Findings of the Association for Computational Linguistics",
    "arXiv preprint arXiv:2310.0{n:04d}",
    "In Proceedings of the Conference on Empirical Methods in Natural Language Processing",
    "In International Conference on Learning Representations",
    "Journal of Artificial Intelligence Research, 7{n}:1{n}-4{n}",
]
ZH_FILLER_REFS = [
    "王磊，刘洋. 大语言模型涌现能力的度量问题[J]. 中文信息学报，2024，38(3)：1-12.",
    "陈静，赵明. 规模、数据与能力：预训练语言模型综述[J]. 计算机学报，2023，46(9)：1801-1830.",
    "李华，孙伟，周琳. 基于连续指标的模型能力评测方法[C]//第二十二届中国计算语言学大会论文集. 2023：112-123.",
    "张超. 大规模语言模型中的相变现象研究[D]. 北京：清华大学，2024.",
    "刘宁，杨帆. 思维链提示与推理能力的规模依赖[J]. 软件学报，2024，35(6)：2650-2671.",
    "哈工大社会计算与信息检索研究中心. 大模型涌现能力综述[EB/OL]. (2023-05-20)[2024-01-08].",
    "何洁，吴昊. 训练数据污染对评测结论的影响[J]. 自动化学报，2024，50(2)：301-315.",
    "周蕾，马骏. 大语言模型的顿悟现象与泛化[J]. 模式识别与人工智能，2023，36(11)：977-990.",
]

# ----------------------------------------------------------------------------------------
# English sentences by kind

CLAIMS_EN: dict[str, list[str]] = {
    # what models can or cannot do at which scale (evidence)
    "evidence": [
        "Accuracy on {task} stays near chance for every {family} model up to {small} and then "
        "rises to {acc1}% at {large}.",
        "Only the {large} {family} model solves {task} reliably; its {small} sibling does no "
        "better than random guessing.",
        "On {task}, performance is flat across three orders of magnitude of training compute and "
        "climbs steeply once it passes {flops} FLOPs.",
        "Bigger networks pick up tricks their smaller siblings never show, and {task} is the "
        "clearest case in our suite.",
        "Below {small} parameters, chain-of-thought prompting actually hurts accuracy on {task}; "
        "above {large} it helps by more than ten points.",
        "The {large} model reaches {acc1}% on {task}, while every model smaller than {small} "
        "scores around {acc0}%.",
        "We see the same pattern for {task}: nothing happens for a long stretch of scale, and "
        "then performance takes off.",
        "Few-shot accuracy on {task} jumps from {acc0}% to {acc1}% between the {small} and the "
        "{large} {family} checkpoints.",
        "Smaller {family} models produce fluent but wrong answers on {task}, whereas the {large} "
        "model gets most of them right.",
        "At {large}, the model starts to follow multi-step instructions that the {small} model "
        "ignores entirely.",
        "The improvement on {task} is not gradual: the {small} and {large} models sit on either "
        "side of a clear step.",
        "None of the {family} models below {small} beat the majority-class baseline on {task}.",
        "Performance on {task} keeps improving smoothly with size, with no sign of a jump at any "
        "scale we tested.",
        "Instruction tuning helps the {large} model on {task} but leaves models under {small} "
        "near chance.",
        "Scaling from {small} to {large} turns {task} from an unsolved task into a solved one.",
        "For {task}, a model with {large} parameters is the first to perform clearly above the "
        "random baseline.",
        "Calibration improves with model size, so that the {large} model's confidence tracks its "
        "accuracy far better than the {small} model's.",
        "The {small} model already shows partial competence on {task} when we look at per-token "
        "probabilities, even though its accuracy is zero.",
        "With a scratchpad, models above {large} execute short programs correctly; without one, "
        "no model in the suite does.",
        "Inverse scaling also occurs: on some tasks the {large} model is worse than the {small} "
        "one [@mckenzie].",
    ],
    # definitions of emergence
    "definition": [
        "We call an ability emergent if it is absent in smaller models but present in larger "
        "ones [@wei].",
        "Following @anderson, emergence refers to qualitative changes in behaviour that arise "
        "from quantitative changes in a system.",
        "An emergent ability, in the sense used here, cannot be predicted by extrapolating the "
        "performance curves of smaller models.",
        "Some authors use emergence for any behaviour a model shows without having been "
        "explicitly trained for it [@bommasani].",
        "Others reserve the word for properties the model picked up from its training data, "
        "which is close to the opposite meaning [@rogers].",
        "@schaeffer single out two properties that make emergent abilities remarkable: their "
        "sharpness and their unpredictability.",
        "A stricter reading holds that a property is emergent only if the model never saw data "
        "for it during training.",
        "On yet another reading, a property counts as emergent when its developers did not know "
        "the training data contained examples of it.",
        "The word emergence is used in at least six senses in the literature, and authors "
        "rarely say which one they mean [@rogers].",
        "@wei define emergence at the level of a task: an ability is emergent when it appears "
        "only once models pass some scale.",
        "Breakthrough behaviour, in the terminology of @srivastava, is a task score that stays "
        "low and then improves sharply with scale.",
        "In physics, emergence describes collective behaviour that none of the parts shows on "
        "its own, and the analogy to language models is loose at best.",
    ],
    # explanations (why)
    "explanation": [
        "The jump largely disappears when {metric} is replaced by {smooth_metric}, which "
        "suggests the metric rather than the model produces the discontinuity [@schaeffer].",
        "All-or-nothing scoring hides partial progress: a model that gets four of five digits "
        "right earns no credit at all.",
        "Per-token probabilities of the correct answer improve steadily long before accuracy "
        "moves, so the underlying progress is gradual.",
        "@du argue that pre-training loss, not parameter count, predicts when an ability "
        "appears: tasks become solvable once the loss falls below a threshold.",
        "Abilities that look sudden may be the product of several sub-skills, each of which "
        "improves smoothly with scale [@arora].",
        "Grokking shows that generalization can arrive long after the training loss has "
        "flattened [@power].",
        "@nanda trace grokking to a circuit that forms gradually and only later takes over the "
        "network's output.",
        "Most of the abilities reported as emergent can be explained by in-context learning, "
        "model memory and linguistic knowledge [@lu].",
        "Induction heads form in a brief window of training, which coincides with a bump in "
        "the loss curve and a jump in in-context learning [@olsson].",
        "The quantization model attributes smooth loss curves to many small discrete skills "
        "that are each learned abruptly [@michaud].",
        "The distribution of the training data, in particular its burstiness, decides whether "
        "in-context learning appears at all [@chan].",
        "Hidden progress on parity tasks accumulates for a long time before any change shows "
        "up in accuracy [@barak].",
        "If the metric is linear in per-token error, scaling predicts the score of larger models "
        "quite accurately.",
        "With enough samples per item, even a small model solves the task occasionally, which "
        "makes the apparent jump a matter of resolution [@hu].",
        "Fine-tuning small models on the task moves the point of emergence to smaller scales, "
        "so the threshold can be forecast in advance [@snell].",
        "Scaling laws describe a smooth, power-law decrease of the loss with compute, data and "
        "parameters [@kaplan].",
        "A compute-optimal model is trained on far more tokens than earlier practice assumed, "
        "which shifts where any threshold would lie [@hoffmann].",
        "Because larger models have more capacity to learn patterns in their training data, "
        "better performance at scale is what standard learning theory would predict.",
        "Prompt sensitivity suggests the model responds better to prompts that resemble its "
        "training data, not that it has acquired a general skill.",
        "Observational scaling laws fitted on public models forecast several supposedly "
        "emergent capabilities from much smaller ones [@ruan].",
    ],
    # rebuttals and debate
    "rebuttal": [
        "This objection does not explain why models below {small} remain at chance even under "
        "{smooth_metric}.",
        "Critics reply that the ability was in the training data all along, so nothing new "
        "appeared at scale.",
        "Contamination cannot account for the jump on {task}, because its test items were "
        "written after the training corpus was collected.",
        "In our runs the transition is neither sharp nor unpredictable: a log-linear fit to the "
        "five smallest models forecasts the largest one within two points.",
        "Nobody trained the model to do {task}, yet it does so from a handful of examples.",
        "Nothing resembling these puzzles appears anywhere in what the model was trained on, "
        "which rules out simple memorisation.",
        "It only looks new to us because nobody has read the whole web crawl the model learned "
        "from.",
        "The mirage argument explains some curves but not all: {task} stays discontinuous under "
        "every metric we tried.",
        "The claim that these abilities are unpredictable rests on a handful of curves with "
        "very few points at the large end.",
        "@rogers doubt that any of the reported abilities is emergent in the strong sense, since "
        "the training data of most models is not public.",
        "Whether an ability counts as emergent therefore depends on which definition is used, "
        "and the debate mostly talks past itself.",
        "@ganguli stress that loss is predictable at scale while specific capabilities are not, "
        "which is a problem for anyone deploying these models.",
        "@steinhardt argues that future systems will be qualitatively different, so "
        "extrapolating from current behaviour will mislead us.",
        "Continuous metrics do not always remove the jump: on some tasks, log-probabilities "
        "also change abruptly at the same scale.",
        "Emergence in the sense of unforeseen abilities is an observation about the people "
        "building the models, not about the models themselves.",
        "Scale alone is not the whole story, since a smaller model trained on better data can "
        "match a larger one on {task}.",
        "Even sceptics agree that larger models are better; the dispute is whether their gains "
        "are abrupt.",
        "The so-called emergent abilities of {family} vanish once the models are compared at "
        "equal pre-training loss.",
    ],
    # abstract / intro framing claims
    "framing": [
        "Large language models are said to acquire abilities at scale that their smaller "
        "counterparts lack entirely.",
        "Claims of emergent abilities have shaped how researchers and funders think about "
        "scaling up language models.",
        "If abilities do appear abruptly, then evaluating small models tells us little about "
        "what a larger one will be able to do.",
        "We argue that most reported cases of emergence are artefacts of how the tasks are scored.",
        "We find that the apparent threshold moves by an order of magnitude depending on the "
        "metric.",
        "Our results suggest that abrupt gains are real for a minority of tasks and illusory for "
        "the rest.",
        "We show that the pre-training loss at which an ability appears is roughly the same "
        "across model sizes.",
        "Taken together, the evidence supports a weaker notion of emergence than the one usually "
        "advertised.",
        "Emergent abilities matter for safety, because a capability that nobody anticipated is "
        "also one nobody tested for.",
        "The debate about emergence is largely a debate about what counts as a surprise.",
    ],
}

METHODS_EN = [
    "We train {n} models from {size_lo} to {size_hi} parameters on {corpus}.",
    "All models share the same decoder-only architecture and are trained for {steps} steps "
    "with a batch size of {batch} tokens.",
    "We use AdamW with a peak learning rate of {lr}, cosine decay and {warmup} warmup steps.",
    "Each model sees {tokens} tokens, so that smaller models are trained well past the "
    "compute-optimal point.",
    "Evaluation uses {k}-shot prompts whose exemplars are drawn from the training split of "
    "each task.",
    "We report {metric} averaged over {seeds} random seeds, with standard errors in the appendix.",
    "Training compute is estimated as 6ND, where N is the number of parameters and D the "
    "number of training tokens [@kaplan].",
    "We evaluate the public {family} checkpoints at {small} and {large} on {ntasks} BIG-Bench "
    "tasks [@srivastava].",
    "Prompts follow the format of @brown, with the answer options listed after the question.",
    "Decoding is greedy, and answers are truncated at the first newline.",
    "The training mixture contains web text, books and source code, deduplicated with MinHash "
    "at the document level.",
    "We tokenize with a byte-level BPE vocabulary of 50,257 entries.",
    "Context length is 2,048 tokens for every model size.",
    "Weight decay is set to 0.1 and dropout is disabled for all runs.",
    "Models larger than {small} are trained on 256 TPU v4 chips; smaller ones on 8 A100 GPUs.",
    "We select {ntasks} tasks from BIG-Bench whose metric is exact match.",
    "For multiple-choice tasks we score each option by its log-likelihood under the model and "
    "pick the highest.",
    "Intermediate checkpoints are saved every 1,000 steps, which gives 143 points per training "
    "run [@biderman].",
    "We fine-tune each model for three epochs on 1,000 examples of the target task.",
    "Hyperparameters for every model size are listed in Table {tab}.",
    "All runs use bfloat16 mixed precision and the same data order.",
    "To estimate variance, we resample test items with replacement 1,000 times.",
    "We hold out 500 problems per task and never use them for prompt selection.",
    "Models between {size_lo} and {size_hi} are trained with the same learning-rate schedule, "
    "scaled by the width.",
    "Sampling uses a temperature of 0.7 and nucleus sampling with p = 0.95.",
    "We draw 100 samples per problem to estimate pass rates below one percent.",
    "The test sets of GSM8K [@cobbe] and MMLU [@hendrycks] are used unchanged.",
    "Chain-of-thought exemplars are written by hand, eight per task, following @weicot.",
    "We measure scale in training FLOPs rather than parameter count, following @wei.",
    "Each configuration is trained once, because the largest runs are too expensive to repeat.",
]

CAPTIONS_EN = [
    "Accuracy against model scale for {ntasks} tasks.",
    "Few-shot accuracy on {task} for the {family} family; the dashed line marks random "
    "performance.",
    "The same outputs scored with {metric} (left) and {smooth_metric} (right).",
    "Emergent tasks under few-shot prompting. Each panel shows one task from BIG-Bench.",
    "Performance on {task} as a function of training FLOPs. Larger models lie to the right.",
    "Pre-training loss against downstream accuracy for all model sizes.",
    "Smallest model that performs above chance on each task.",
    "Hyperparameters for all model sizes.",
    "Training compute, parameters and tokens of the models we evaluate.",
    "Accuracy of the {large} model with and without chain-of-thought prompting.",
    "Log-probability of the correct answer on {task} across checkpoints.",
    "Pass rate at 100 samples for models from {size_lo} to {size_hi}.",
    "Results on {ntasks} BIG-Bench tasks; numbers are {metric} in percent.",
    "Number of tasks that show a sharp jump under each metric.",
    "Training loss and test accuracy over steps on modular addition; generalization comes late.",
]

QUESTIONS_EN = [
    "Is the jump a property of the model or of the metric?",
    "Would the same curve look smooth with more checkpoints between {small} and {large}?",
    "Does emergence survive when models are compared at equal loss?",
    "What, then, should count as an unpredictable ability?",
    "Can the threshold be forecast from models a hundred times smaller?",
    "Why should a larger model not simply be better at everything?",
]
NOTE_REMINDERS_EN = [
    "compare with the mirage argument?",
    "check whether the 62B threshold holds for PaLM 2",
    "look up Ganguli et al. on predictability",
    "TODO: read the appendix on metric choice",
    "ask Anna which definition the survey used",
    "find the per-token probability plots again",
    "re-read Du et al. on the loss threshold before the reading group",
    "TODO: cite Anderson 1972 in the intro",
    "need to check which tasks were contaminated",
    "maybe email the authors about the missing checkpoints",
    "follow up: does grokking happen in the big runs too?",
    "note to self: the table in section 4 uses exact match only",
    "does this hold for code models?",
    "why 10^22 FLOPs and not parameters?",
    "see whether Pythia shows the same step",
    "remember to plot the Brier score version",
]

BOILERPLATE_EN = [
    "We thank the anonymous reviewers for their helpful comments.",
    "We are grateful to colleagues at our lab for discussions on emergence and scaling.",
    "This work was supported by a research grant (No. {n}0452) and compute credits.",
    "Code and data are available at https://github.com/example/emergence-{n}.",
    "Preprint. Under review.",
    "Work done while the first author was an intern.",
    "This paper presents work whose goal is to advance machine learning; we see no specific "
    "societal consequence that needs to be highlighted here.",
    "All prompts and model outputs will be released upon publication.",
    "The authors declare no competing interests.",
]
KEYWORDS_EN = "Keywords: emergent abilities, scaling, large language models, evaluation"

ROADMAP_EN = [
    "The rest of the paper is organised as follows.",
    "Section {sec} describes the models and the tasks; Section {sec2} reports the results.",
    "Figure {fig} plots accuracy against training FLOPs for each task.",
    "Table {tab} lists the models we evaluate and their sizes.",
    "We discuss limitations in Section {sec2}.",
    "Details of the prompts are given in Appendix A.",
    "Figure {fig} summarises the results for the {family} family.",
    "In the next section we review the definitions used in prior work.",
]

OTHER_EN = [
    "Language models are now used in search engines, coding assistants and classrooms.",
    "Our study is limited to English tasks and to models whose weights are public.",
    "Training the largest model took about three weeks.",
    "The field has moved quickly since the first version of this paper.",
    "We hope these results encourage more careful evaluation.",
]

# ----------------------------------------------------------------------------------------
# Chinese sentences by kind

CLAIMS_ZH: dict[str, list[str]] = {
    "evidence": [
        "在{task}上，{family}系列中{small}及以下的模型准确率都接近随机，到了{large}才上升到{acc1}%。",
        "只有{large}的{family}模型能可靠地完成{task}，{small}的模型和随机猜测差不多。",
        "训练计算量越过{flops} FLOPs之后，{task}的表现才开始陡然上升，此前几个数量级都几乎持平。",
        "大一些的网络会学到小网络从来学不会的本事，{task}就是最明显的例子。",
        "思维链提示在{small}以下的模型上反而会拉低{task}的准确率，超过{large}之后才带来十个点以上的提升。",
        "{large}模型在{task}上达到{acc1}%，而所有小于{small}的模型都停留在{acc0}%左右。",
        "{task}也是同样的规律：很长一段规模区间里毫无变化，然后性能突然起飞。",
        "从{small}到{large}，{family}在{task}上的少样本准确率由{acc0}%跳到{acc1}%。",
        "较小的{family}模型在{task}上能生成通顺但错误的答案，{large}模型则大多答对。",
        "{task}上的提升并不是渐进的，{small}和{large}两个模型恰好落在一个台阶的两侧。",
        "{family}中小于{small}的模型在{task}上都没有超过多数类基线。",
        "{task}的表现随规模平滑提高，在我们测试的任何规模上都看不到跳变。",
        "把模型从{small}扩大到{large}，{task}就从无法完成变成了可以完成。",
        "如果看逐词元概率，{small}模型在{task}上其实已经有部分能力，尽管准确率仍为零。",
        "也存在逆向缩放：在某些任务上，{large}模型反而不如{small}模型[@mckenzie]。",
    ],
    "definition": [
        "所谓涌现能力，是指在小模型中不存在、而在大模型中出现的能力[@wei]。",
        "借用@anderson的说法，涌现指的是系统的量变引起行为上的质变。",
        "按照这里的用法，涌现能力无法通过外推较小模型的性能曲线来预测。",
        "有些作者把模型在没有被明确训练的情况下表现出的任何行为都称为涌现[@bommasani]。",
        "另一些人则用这个词指模型从训练数据中学到的特性，这几乎是相反的意思[@rogers]。",
        "@schaeffer指出，让涌现能力引人注目的是两点：突变性和不可预测性。",
        "更严格的理解是：只有模型在训练中从未见过相关数据，某个特性才算涌现。",
        "还有一种理解认为，只要开发者不知道训练数据里有相关样例，这种特性就可以算作涌现。",
        "文献中“涌现”一词至少有六种含义，而作者很少说明自己用的是哪一种[@rogers]。",
        "在物理学中，涌现描述的是整体具有而部分不具有的集体行为，把它类比到语言模型并不严谨。",
    ],
    "explanation": [
        "把{metric}换成{smooth_metric}之后，跳变基本消失，说明不连续性来自指标而非模型本身[@schaeffer]。",
        "全对或全错的打分方式掩盖了部分进步：五位数字答对四位的模型照样得零分。",
        "正确答案的逐词元概率早在准确率变化之前就在稳步提高，底层的进步其实是渐进的。",
        "@du认为决定能力何时出现的是预训练损失而不是参数量：损失降到某个阈值以下，任务才变得可解。",
        "看似突然出现的能力，可能是若干子技能组合的结果，而每个子技能都随规模平滑提升[@arora]。",
        "顿悟现象表明，泛化可能在训练损失早已收敛很久之后才出现[@power]。",
        "大多数被报告为涌现的能力，都可以用上下文学习、模型记忆和语言知识来解释[@lu]。",
        "归纳头只在训练中很短的一段时间里形成，这恰好对应损失曲线上的一个鼓包和上下文学习能力的跃升[@olsson]。",
        "训练数据的分布，尤其是其突发性，决定了上下文学习能否出现[@chan]。",
        "缩放定律描述的是损失随计算量、数据和参数平滑地按幂律下降[@kaplan]。",
        "每道题采样足够多次，小模型偶尔也能做对，所谓跳变其实是评测分辨率的问题[@hu]。",
        "大模型有更多容量去学习训练数据中的模式，规模越大性能越好本来就是学习理论所预期的。",
        "提示敏感性说明模型对与训练数据相似的提示反应更好，而不是真的掌握了一种通用技能。",
    ],
    "rebuttal": [
        "这种反驳解释不了为什么即使采用{smooth_metric}，{small}以下的模型仍然停留在随机水平。",
        "批评者认为这种能力本来就在训练数据里，规模扩大并没有带来任何新东西。",
        "{task}的测试题是在训练语料收集之后才编写的，所以数据污染解释不了这次跃升。",
        "在我们的实验中，这种转变既不陡峭也并非不可预测：用最小的五个模型做对数线性拟合，就能把最大模型的成绩预测到两个点以内。",
        "没有人专门训练模型去做{task}，它却只凭几个示例就做到了。",
        "这类题目在模型的训练语料中根本找不到相似的样例，因此可以排除简单的记忆。",
        "它之所以看起来新，只是因为没有人读完过模型所学的整个网页抓取数据。",
        "“海市蜃楼”的论证能解释一部分曲线，但不是全部：无论换哪种指标，{task}都保持不连续。",
        "@rogers怀疑报告中的能力是否有哪一项称得上强意义上的涌现，因为大多数模型的训练数据并不公开。",
        "某种能力算不算涌现，取决于采用哪个定义，而这场争论大多是各说各话。",
        "连续指标并不总能消除跳变：在一些任务上，对数概率也在同一规模处突然变化。",
        "单靠规模并不能解释一切，用更好的数据训练的小模型也能在{task}上追平大模型。",
        "在相同的预训练损失下比较时，{family}所谓的涌现能力就消失了。",
    ],
    "framing": [
        "人们常说大语言模型在规模扩大后会获得小模型完全不具备的能力。",
        "如果能力真的会突然出现，那么评测小模型就很难告诉我们大模型将会做到什么。",
        "我们认为，大多数被报告的涌现现象都是打分方式造成的假象。",
        "我们发现，随着指标不同，表面上的阈值会移动一个数量级。",
        "结果表明，突然的提升对少数任务是真实的，对其余任务则是错觉。",
        "综合来看，证据支持的是一种比通常宣传的更弱的涌现概念。",
        "涌现能力关系到安全问题，因为没人预料到的能力也就没人测试过。",
        "关于涌现的争论，很大程度上是关于什么才算意外的争论。",
    ],
}

METHODS_ZH = [
    "模型参数规模从{size_lo}到{size_hi}不等，均在{corpus}上训练。",
    "我们共训练了{n}个模型，架构相同，均训练{steps}步，批大小为{batch}个词元。",
    "优化器采用 AdamW，峰值学习率为{lr}，使用余弦衰减并预热{warmup}步。",
    "每个模型都训练了{tokens}个词元，因此较小的模型远远超过了计算最优点。",
    "评测采用{k}-shot提示，示例从各任务的训练集中抽取。",
    "我们报告{seeds}个随机种子上{metric}的平均值，标准误见附录。",
    "训练计算量按 6ND 估计，其中 N 为参数量，D 为训练词元数[@kaplan]。",
    "我们在{ntasks}个 BIG-Bench 任务上评测了{family}公开发布的{small}和{large}两个检查点[@srivastava]。",
    "解码采用贪心策略，答案在第一个换行处截断。",
    "训练数据由网页文本、书籍和源代码组成，并用 MinHash 在文档级别去重。",
    "所有规模的模型上下文长度均为 2048 个词元。",
    "权重衰减设为 0.1，所有实验均不使用 dropout。",
    "大于{small}的模型在 256 块 TPU v4 上训练，较小的模型在 8 块 A100 上训练。",
    "对于多项选择任务，我们用模型给出的对数似然为每个选项打分，取得分最高者。",
    "每 1000 步保存一次中间检查点，每次训练共得到 143 个点[@biderman]。",
    "各规模模型的超参数见表{tab}。",
    "采样温度设为 0.7，并使用 p = 0.95 的核采样。",
    "每道题采样 100 次，以估计低于百分之一的通过率。",
    "思维链示例由人工编写，每个任务 8 个，做法与@weicot相同。",
    "参照@wei，我们用训练 FLOPs 而不是参数量来衡量规模。",
]

CAPTIONS_ZH = [
    "{ntasks}个任务上准确率随模型规模的变化。",
    "{family}系列在{task}上的少样本准确率，虚线表示随机水平。",
    "同一批输出分别用{metric}（左）和{smooth_metric}（右）打分。",
    "少样本提示下的涌现任务，每个子图对应 BIG-Bench 中的一个任务。",
    "{task}的表现随训练 FLOPs 的变化，越靠右模型越大。",
    "各规模模型的预训练损失与下游准确率。",
    "各任务上首次超过随机水平的最小模型。",
    "各规模模型的超参数。",
    "所评测模型的训练计算量、参数量和训练词元数。",
    "{large}模型使用与不使用思维链提示时的准确率。",
]

QUESTIONS_ZH = [
    "跳变究竟是模型的性质，还是指标的性质？",
    "如果在{small}和{large}之间多放几个检查点，曲线会不会变得平滑？",
    "在相同损失下比较模型，涌现还存在吗？",
    "那么，什么样的能力才算不可预测？",
    "能否用小一百倍的模型预测出这个阈值？",
]
NOTE_REMINDERS_ZH = [
    "记得对比一下海市蜃楼那篇的论证？",
    "待办：查一下 PaLM 2 是否也有 62B 的阈值",
    "回头看看 Ganguli 等人关于可预测性的讨论",
    "待读：Schaeffer 2023 的附录",
    "问一下老师综述里用的是哪个定义",
    "TODO：把逐词元概率的图再找出来",
    "组会前再读一遍 Du 等人关于损失阈值的部分",
    "需要确认哪些任务有数据污染",
    "这个结论对代码模型也成立吗？",
    "为什么用 10^22 FLOPs 而不是参数量？",
    "有空画一下 Brier 分数版本的曲线",
]

BOILERPLATE_ZH = [
    "感谢匿名审稿人提出的宝贵意见。",
    "本工作得到国家自然科学基金（No. 6217{n}）资助。",
    "代码和数据已开源：https://github.com/example/emergence-zh-{n}",
    "本文为作者读书笔记，转载请注明出处。",
    "作者声明不存在利益冲突。",
]
KEYWORDS_ZH = "关键词：涌现能力；规模；大语言模型；评测"

ROADMAP_ZH = [
    "本文其余部分安排如下。",
    "第{sec}节介绍模型与任务，第{sec2}节给出实验结果。",
    "图{fig}给出了各任务准确率随训练 FLOPs 的变化。",
    "表{tab}列出了所评测的模型及其规模。",
    "提示的细节见附录 A。",
]

OTHER_ZH = [
    "语言模型如今已被用于搜索引擎、编程助手和课堂教学。",
    "本研究仅限于中文和英文任务，以及权重公开的模型。",
    "最大的模型训练了大约三周。",
]

HEADINGS_EN = {
    "abstract": "Abstract",
    "intro": "Introduction",
    "background": "Background and Related Work",
    "setup": "Experimental Setup",
    "results": "Results",
    "discussion": "Discussion",
    "conclusion": "Conclusion",
    "ack": "Acknowledgements",
    "refs": "References",
    "appendix_a": "Hyperparameters and Prompts",
    "appendix_b": "Additional Results",
}
HEADINGS_ZH = {
    "abstract": "摘要",
    "intro": "引言",
    "background": "相关工作",
    "setup": "实验设置",
    "results": "实验结果",
    "discussion": "讨论",
    "conclusion": "结论",
    "ack": "致谢",
    "refs": "参考文献",
    "appendix_a": "超参数与提示",
    "appendix_b": "补充结果",
}

TITLES_EN = [
    "Emergent Abilities Revisited: Metrics, Scale and Surprise",
    "When Do Abilities Appear? A Study of Scale Thresholds in Language Models",
    "Sharp or Smooth? Measuring Capability Jumps in Large Language Models",
    "On the Predictability of Emergent Behaviour",
    "Loss Thresholds and the Emergence of Reasoning",
    "Six Meanings of Emergence and the Evidence for Each",
    "Scaling, Sub-skills and Sudden Gains",
    "Are Breakthroughs Real? Re-scoring BIG-Bench",
]
TITLES_ZH = [
    "大语言模型涌现能力再审视：指标、规模与意外",
    "能力何时出现？语言模型规模阈值研究",
    "陡变还是平滑？大语言模型能力跃升的度量",
    "从损失视角理解推理能力的涌现",
    "涌现的六种含义及其证据",
]
AUTHOR_NAMES_EN = [
    "Mira Lindqvist",
    "Tomás Okafor",
    "Giulia Marchetti",
    "Kenji Tanaka",
    "Petra Novak",
    "Amir Haddad",
    "Nora Brennan",
    "Ravi Iyer",
    "Lena Hartmann",
    "Emre Yilmaz",
]
AUTHOR_NAMES_ZH = ["王磊", "刘洋", "陈静", "赵明", "李华", "孙伟", "周琳", "何洁"]
AFFILIATIONS_EN = [
    "Department of Computer Science, Northfield University",
    "Institute for Language Technology, Lakeside",
    "Center for Machine Learning, Eastbrook",
]
AFFILIATIONS_ZH = ["北方大学计算机学院", "东湖人工智能研究院", "南山大学信息科学系"]

# Note titles (Markdown notes summarise real papers).
NOTE_SUBJECTS = [
    ("wei", "Wei et al. 2022 — Emergent Abilities of Large Language Models"),
    ("schaeffer", "Schaeffer et al. 2023 — Are emergent abilities a mirage?"),
    ("du", "Du et al. 2024 — emergence from the loss perspective"),
    ("lu", "Lu et al. 2024 — emergent abilities as in-context learning"),
    ("rogers", "Rogers & Luccioni 2024 — key claims and their footnotes"),
    ("power", "Power et al. 2022 — grokking"),
    ("ganguli", "Ganguli et al. 2022 — predictability and surprise"),
]
NOTE_SUBJECTS_ZH = [
    ("wei", "Wei 等 2022 《大语言模型的涌现能力》读书笔记"),
    ("schaeffer", "涌现能力是海市蜃楼吗？—— Schaeffer 2023 笔记"),
    ("du", "从损失角度理解涌现 —— Du 2024"),
    ("lu", "涌现能力只是上下文学习？—— Lu 2024"),
    ("rogers", "Rogers 2024：涌现的六种定义"),
]
NOTE_METHODS_EN = [
    "They evaluate LaMDA, GPT-3, Gopher, Chinchilla and PaLM on {ntasks} BIG-Bench tasks.",
    "Setup: {n} sizes from {size_lo} to {size_hi}, all trained on {corpus}.",
    "Scale is measured in training FLOPs, not parameters.",
    "Prompts are {k}-shot with exemplars from the train split.",
    "Metrics: {metric} for generation tasks, log-likelihood ranking for multiple choice.",
]
NOTE_METHODS_ZH = [
    "实验设置：{n}个规模，从{size_lo}到{size_hi}，都在{corpus}上训练。",
    "评测了 LaMDA、GPT-3、Gopher、Chinchilla 和 PaLM 在{ntasks}个 BIG-Bench 任务上的表现。",
    "规模用训练 FLOPs 衡量，而不是参数量。",
    "提示为{k}-shot，示例取自训练集。",
]
NOTE_BOILERPLATE_EN = [
    "Source: https://arxiv.org/abs/2206.07682",
    "Related: [[Scaling laws]] [[Grokking]] [[Mirage]]",
    "#emergence #llm #reading-notes",
    "Status: read twice, summary below.",
]
NOTE_BOILERPLATE_ZH = [
    "来源：https://arxiv.org/abs/2304.15004",
    "相关笔记：[[缩放定律]] [[顿悟]]",
    "#涌现 #大模型 #读书笔记",
    "本文为个人笔记，仅供参考，转载请注明出处。",
]

# ----------------------------------------------------------------------------------------
# More claims, and the hedges and lead-ins that real papers wrap them in

CLAIMS_EN["evidence"] += [
    "Across the {ntasks} tasks, the share solved above chance grows from almost none at "
    "{small} to more than half at {large}.",
    "Even the largest {family} model remains close to the random baseline on {task}, so more "
    "scale is not sufficient on its own.",
    "The gap between the {small} and {large} models on {task} is larger than the gap between "
    "any other pair of adjacent sizes.",
    "Zero-shot performance on {task} lags few-shot performance by a wide margin at every size.",
    "Under {metric}, the {family} curve for {task} looks like a step; under {smooth_metric} it "
    "looks like a ramp.",
    "Models that have not reached {flops} FLOPs give essentially random answers on {task}, "
    "whatever their architecture.",
    "Larger checkpoints also become better at saying when they do not know the answer [@kadavath].",
    "The {large} model's advantage on {task} shrinks to a few points once both models are "
    "allowed a scratchpad.",
    "A {small} model trained for longer closes most of the gap to the {large} model on {task}.",
    "Performance on {task} rises in two steps rather than one, at roughly {small} and at {large}.",
    "Most of the improvement from {small} to {large} comes from the easiest third of the "
    "{task} items.",
    "Beyond {large}, accuracy on {task} saturates near the ceiling set by label noise.",
]
CLAIMS_EN["explanation"] += [
    "A task that needs k correct steps in a row succeeds with probability p^k, so smooth gains "
    "in p look like a sudden jump in task accuracy.",
    "The threshold depends on how the answer is extracted: lenient parsing moves it down by "
    "an order of magnitude.",
    "What looks like a new ability is often an old one that becomes reliable enough to "
    "survive strict scoring.",
    "Memorised answers cannot explain the gains, because accuracy on paraphrased test items "
    "rises in the same way.",
    "Instruction tuning lowers the scale at which several abilities appear, which argues "
    "against a fixed size threshold.",
    "The loss on the answer tokens keeps falling smoothly through the region where accuracy jumps.",
    "Capabilities that depend on rare patterns in the data should appear late, simply "
    "because the model needs more data to see them often enough.",
    "Sharp transitions in toy models can be traced to the moment a particular circuit "
    "outcompetes memorisation [@nanda].",
    "Downstream accuracy is a nonlinear function of loss, and that nonlinearity alone can "
    "produce a knee in the curve.",
    "Chain-of-thought prompting helps only once the model can carry out each step on its "
    "own, which happens late in scale [@weicot].",
]
CLAIMS_EN["rebuttal"] += [
    "Re-scoring the original outputs changes the picture for most, but not all, of the "
    "tasks listed by @wei.",
    "A smooth curve under a continuous metric does not make the discrete ability any less "
    "useful once it appears.",
    "The argument from metrics assumes that partial credit is meaningful, which is doubtful "
    "for tasks such as arithmetic.",
    "Claims about abilities appearing out of nowhere are hard to test when the training data "
    "is proprietary.",
    "That a model was not explicitly trained for a task says little, since the web contains "
    "examples of almost every task.",
    "Predicting a jump after the fact is easy; the open question is whether it can be "
    "predicted before the large model exists.",
    "The evidence for unpredictability comes mostly from models evaluated at five or fewer scales.",
    "With denser sampling of model sizes, several of the reported jumps turn into steep but "
    "continuous slopes.",
    "Calling these abilities emergent adds little if all it means is that bigger models "
    "score higher.",
    "Developers themselves are often surprised by what their models can do, which is the "
    "sense of emergence that matters for governance.",
]
CLAIMS_EN["framing"] += [
    "Whether capabilities scale smoothly or abruptly determines how much warning we get "
    "before a system can do something new.",
    "Much of the enthusiasm for scaling rests on the belief that new skills appear as models grow.",
    "Our analysis indicates that the choice of metric explains more of the apparent "
    "sharpness than the choice of model.",
    "We conclude that emergence, in the strong sense, remains unproven for language models.",
]
CLAIMS_ZH["evidence"] += [
    "在{ntasks}个任务中，超过随机水平的任务比例从{small}时的几乎为零增长到{large}时的一半以上。",
    "即便是最大的{family}模型在{task}上也接近随机基线，可见单纯扩大规模并不够。",
    "{small}和{large}两个模型在{task}上的差距，比任何其他相邻规模之间的差距都大。",
    "在每个规模上，{task}的零样本表现都明显落后于少样本表现。",
    "用{metric}衡量时，{family}在{task}上的曲线像台阶；换成{smooth_metric}后则像斜坡。",
    "训练计算量不到{flops} FLOPs的模型在{task}上基本是随机作答，与架构无关。",
    "训练更久的{small}模型能在{task}上追回与{large}模型的大部分差距。",
    "{task}的表现分两步上升，大约在{small}和{large}各有一次跃升。",
    "超过{large}之后，{task}的准确率在标注噪声决定的上限附近饱和。",
]
CLAIMS_ZH["explanation"] += [
    "一个需要连续做对 k 步的任务，成功概率是 p 的 k 次方，因此 p 的平滑提升会表现为任务准确率的突然跳变。",
    "阈值的位置取决于答案的抽取方式：宽松的解析会让阈值下移一个数量级。",
    "看起来全新的能力，往往只是旧能力变得足够可靠、能在严格打分下得分而已。",
    "在改写过的测试题上准确率以同样方式上升，所以记忆解释不了这些提升。",
    "指令微调让好几种能力在更小的规模上出现，这与固定的规模阈值说法相矛盾。",
    "在准确率跳变的区间里，答案词元上的损失一直在平滑下降。",
    "下游准确率是损失的非线性函数，仅这种非线性就足以在曲线上造成拐点。",
    "只有当模型能独立完成每一步时，思维链提示才有帮助，而这要到很大的规模才会发生[@weicot]。",
]
CLAIMS_ZH["rebuttal"] += [
    "对原始输出重新打分后，@wei列出的大部分任务结论都变了，但不是全部。",
    "在连续指标下曲线平滑，并不意味着离散能力一旦出现就不那么有用。",
    "指标论证假定部分得分有意义，而对于算术这类任务这一点值得怀疑。",
    "训练数据不公开时，关于能力凭空出现的说法很难检验。",
    "说模型没有被明确训练过某个任务意义不大，因为网上几乎有所有任务的样例。",
    "事后预测一次跃升很容易，真正的问题是能否在大模型训练出来之前就预测到。",
    "如果把模型规模采样得更密，好几个所谓的跳变都会变成陡峭但连续的斜坡。",
    "如果涌现只是说更大的模型得分更高，那么这个词并没有增加什么信息。",
]
CLAIMS_ZH["framing"] += [
    "能力是平滑增长还是突然出现，决定了我们在系统具备新本领之前能得到多少预警。",
    "对扩大规模的热情，很大程度上来自于新技能会随着模型变大而出现的信念。",
    "我们的结论是，强意义上的涌现在语言模型中仍未得到证实。",
]

LEADS_EN = [
    "In our experiments, ",
    "Notably, ",
    "By contrast, ",
    "Importantly, ",
    "As expected, ",
    "Consistent with @wei, ",
    "In line with earlier reports [@srivastava], ",
    "Strikingly, ",
    "On closer inspection, ",
    "At the same time, ",
    "Put differently, ",
    "In short, ",
    "Contrary to @schaeffer, ",
    "As the curves show, ",
    "Moreover, ",
]
TAILS_EN = [
    " (see Figure {fig})",
    ", consistent with prior reports",
    " [@srivastava]",
    ", at least for the tasks we examined",
    ", as Table {tab} shows",
    " in every seed we ran",
]
LEADS_ZH = [
    "在我们的实验中，",
    "值得注意的是，",
    "与此相对，",
    "更重要的是，",
    "正如预期，",
    "与@wei的结论一致，",
    "仔细看会发现，",
    "换句话说，",
    "此外，",
    "如图{fig}所示，",
]
TAILS_ZH = ["（见图{fig}）", "，这与已有报告一致", "[@srivastava]", "，至少在我们考察的任务上如此"]

APPENDIX_EXAMPLES_EN = [
    "Q: What is 317 plus 285? A: 602.",
    "Q: Unscramble the letters 'tnemerge' into a word. A: emergent.",
    "Input: The lawyer questioned the witness. Output: figurative = no.",
    "Q: Take the last letters of 'large language model' and concatenate them. A: eel.",
    "Prompt template: Question: {{question}} Answer:",
]
APPENDIX_EXAMPLES_ZH = [
    "问：317 加 285 等于多少？答：602。",
    "输入：把字母 tnemerge 还原成单词。输出：emergent。",
    "提示模板：问题：{{question}} 答案：",
]
