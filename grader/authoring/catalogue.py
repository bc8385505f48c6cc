"""The list of assignments: which notebook teaches which graded functions.

This table drives everything generated: the stubs of the student package, the
sync of graded cells from ``dlcourse`` into the solution notebooks, the
nbgrader course directory and the round-trip tests. Functions are named
``module.function`` relative to ``dlcourse``.
"""

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dlcourse"
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"
DATASETS = ROOT / "datasets"


@dataclass(frozen=True)
class Assignment:
    id: str
    notebook: str
    title: str
    functions: tuple[str, ...]
    datasets: tuple[str, ...] = ()

    @property
    def source(self) -> Path:
        return SOLUTIONS / self.notebook

    @property
    def student_notebook(self) -> str:
        """Where students find it, relative to the repository root."""
        return f"notebooks/{self.id}/{self.notebook}"


ASSIGNMENTS = (
    Assignment(
        "c1w2a1", "c1w2a1_numpy_basics.ipynb", "NumPy basics: vectorization and broadcasting",
        ("activations.sigmoid", "activations.sigmoid_derivative", "basics.image_to_vector",
         "basics.normalize_rows", "activations.softmax", "losses.l1_loss", "losses.l2_loss",
         "basics.calorie_percentages"),
    ),
    Assignment(
        "c1w2a2", "c1w2a2_logistic_regression.ipynb",
        "Logistic regression as a neural network: an image classifier",
        ("logistic.initialize_with_zeros", "logistic.propagate", "logistic.optimize",
         "logistic.predict", "logistic.model"),
        datasets=("animals.h5",),
    ),
    Assignment(
        "c1w3a1", "c1w3a1_planar_data.ipynb", "Planar data with one hidden layer",
        ("activations.tanh", "activations.tanh_derivative", "activations.relu",
         "activations.relu_derivative", "activations.leaky_relu",
         "activations.leaky_relu_derivative", "shallow.layer_sizes",
         "shallow.initialize_parameters", "shallow.forward_propagation", "losses.compute_cost",
         "shallow.backward_propagation", "dense.update_parameters", "shallow.nn_model",
         "shallow.predict"),
    ),
    Assignment(
        "c1w4a1", "c1w4a1_deep_network_step_by_step.ipynb", "Deep network step by step",
        ("dense.initialize_parameters_deep", "dense.linear_forward",
         "dense.linear_activation_forward", "dense.model_forward", "losses.compute_cost",
         "dense.linear_backward", "dense.linear_activation_backward", "dense.model_backward",
         "dense.update_parameters"),
    ),
    Assignment(
        "c1w4a2", "c1w4a2_deep_network_application.ipynb", "Deep network application",
        ("dense.two_layer_model", "dense.deep_model"),
        datasets=("animals.h5", "c1w4a2_seeds.json"),
    ),
    Assignment(
        "c2w1a1", "c2w1a1_initialization.ipynb", "Initialization",
        ("init.normalize_inputs", "init.initialize_parameters_zeros",
         "init.initialize_parameters_random", "init.initialize_parameters_he"),
    ),
    Assignment(
        "c2w1a2", "c2w1a2_regularization.ipynb", "Regularization: L2 and dropout",
        ("regularization.compute_cost_with_regularization",
         "regularization.backward_propagation_with_regularization",
         "regularization.forward_propagation_with_dropout",
         "regularization.backward_propagation_with_dropout"),
    ),
    Assignment(
        "c2w1a3", "c2w1a3_gradient_checking.ipynb", "Gradient checking",
        ("gradcheck.gradient_check", "gradcheck.dictionary_to_vector",
         "gradcheck.vector_to_dictionary", "gradcheck.gradient_check_n"),
    ),
    Assignment(
        "c2w2a1", "c2w2a1_optimization_methods.ipynb", "Optimization methods",
        ("optim.random_mini_batches", "optim.exponentially_weighted_average",
         "optim.initialize_velocity", "optim.update_parameters_with_momentum",
         "optim.initialize_rmsprop", "optim.update_parameters_with_rmsprop",
         "optim.initialize_adam", "optim.update_parameters_with_adam", "optim.update_lr",
         "optim.schedule_lr_decay"),
    ),
    Assignment(
        "c2w3a1", "c2w3a1_batchnorm_softmax_tuning.ipynb", "Batch norm, softmax and tuning",
        ("batchnorm.batchnorm_forward", "batchnorm.batchnorm_backward", "activations.softmax",
         "losses.softmax_cross_entropy", "losses.softmax_cross_entropy_backward",
         "optim.sample_log_uniform"),
        datasets=("digits6.h5",),
    ),
    Assignment(
        "c3w1a1", "c3w1a1_ml_strategy_lab.ipynb", "ML strategy lab",
        ("strategy.precision_recall_f1", "strategy.pick_model", "strategy.weighted_error",
         "strategy.diagnose", "strategy.error_analysis_table", "strategy.multitask_loss"),
    ),
    Assignment(
        "c4w1a1", "c4w1a1_convolution_step_by_step.ipynb", "Convolution step by step",
        ("conv.zero_pad", "conv.conv_output_size", "conv.conv_single_step", "conv.conv_forward",
         "conv.pool_forward", "conv.conv_backward", "conv.create_mask_from_window",
         "conv.distribute_value", "conv.pool_backward"),
        datasets=("animals.h5",),
    ),
    Assignment(
        "c4w1a2", "c4w1a2_cnn_application.ipynb", "CNN application",
        ("conv.conv_forward_fast", "conv.conv_backward_fast", "conv.layer_table"),
        datasets=("photos6.h5", "animals.h5", "c1w4a2_seeds.json"),
    ),
    Assignment(
        "c4w2a1", "c4w2a1_residual_networks.ipynb", "Residual networks",
        ("resnet.identity_block_forward", "resnet.identity_block_backward",
         "resnet.convolutional_block_forward", "resnet.convolutional_block_backward",
         "resnet.conv_1x1", "resnet.conv_multiplications", "resnet.bottleneck_multiplications",
         "resnet.parameter_counts"),
        datasets=("digits6.h5",),
    ),
    Assignment(
        "c4w2a2", "c4w2a2_transfer_learning.ipynb", "Transfer learning and data augmentation",
        ("transfer.augment", "transfer.trainable_keys", "transfer.replace_head",
         "transfer.fine_tune"),
        datasets=("animals.h5", "photos6_lenet.h5"),
    ),
    Assignment(
        "c4w3a1", "c4w3a1_yolo_detection.ipynb", "Localization and detection with YOLO",
        ("detection.localization_loss", "detection.iou", "detection.yolo_filter_boxes",
         "detection.non_max_suppression", "detection.yolo_eval", "detection.assign_targets",
         "detection.yolo_loss", "detection.yolo_loss_backward",
         "detection.mean_average_precision"),
        datasets=("scenes.h5", "face_detector.h5"),
    ),
    Assignment(
        "c4w4a1", "c4w4a1_face_verification.ipynb", "Face verification and one-shot learning",
        ("faces.embedding_distance", "faces.triplet_loss", "faces.triplet_loss_backward",
         "faces.verify", "faces.who_is_it", "faces.pair_probability"),
        datasets=("glyphs.h5",),
    ),
    Assignment(
        "c4w4a2", "c4w4a2_neural_style_transfer.ipynb", "Neural style transfer",
        ("style.content_cost", "style.gram_matrix", "style.layer_style_cost",
         "style.style_cost", "style.total_cost", "style.content_cost_backward",
         "style.layer_style_cost_backward", "style.style_cost_backward",
         "style.cost_and_gradient", "style.optimize_image", "style.conv1d_forward"),
        datasets=("style.h5",),
    ),
    Assignment(
        "c5w1a1", "c5w1a1_rnn_lstm_gru_step_by_step.ipynb", "RNN, LSTM and GRU step by step",
        ("rnn.rnn_cell_forward", "rnn.rnn_forward", "rnn.rnn_cell_backward", "rnn.rnn_backward",
         "rnn.lstm_cell_forward", "rnn.lstm_forward", "rnn.lstm_cell_backward",
         "rnn.lstm_backward", "rnn.gru_cell_forward"),
    ),
    Assignment(
        "c5w1a2", "c5w1a2_character_level_language_model.ipynb",
        "Character-level language model",
        ("rnn.clip", "rnn.sample", "rnn.optimize", "rnn.model"),
        datasets=("dinosaurs.h5", "firstnames.h5", "sonnets.h5"),
    ),
    Assignment(
        "c5w1a3", "c5w1a3_music_generation.ipynb", "Music generation with an LSTM",
        ("music.melodies_to_one_hot", "music.music_cost", "music.music_gradients",
         "music.train_music", "music.predict_and_sample"),
        datasets=("chorales.h5",),
    ),
    Assignment(
        "c5w2a1", "c5w2a1_word_vectors.ipynb", "Word vectors",
        ("embeddings.cosine_similarity", "embeddings.complete_analogy", "embeddings.neutralize",
         "embeddings.equalize", "embeddings.noise_distribution", "embeddings.skipgram_loss",
         "embeddings.glove_weight", "embeddings.glove_cost"),
        datasets=("words.h5",),
    ),
    Assignment(
        "c5w2a2", "c5w2a2_emojify.ipynb", "Emojify",
        ("emojify.sentence_to_avg", "emojify.softmax_model", "emojify.sentences_to_indices",
         "emojify.lstm_classifier_forward", "emojify.lstm_classifier_backward",
         "emojify.lstm_classifier_model"),
        datasets=("emojify.h5", "words.h5"),
    ),
    Assignment(
        "c5w3a1", "c5w3a1_attention_date_translation.ipynb",
        "Attention and machine translation of dates",
        ("attention.one_step_attention", "attention.one_step_attention_backward",
         "attention.model_forward", "attention.model_backward", "attention.beam_search",
         "attention.blame_beam_or_model", "attention.bleu"),
        datasets=("dates.h5", "dates_attention.h5"),
    ),
    Assignment(
        "c5w3a2", "c5w3a2_trigger_word_detection.ipynb", "Trigger word detection",
        ("trigger.is_overlapping", "trigger.insert_audio_clip", "trigger.insert_ones",
         "trigger.create_training_example", "trigger.spectrogram", "trigger.conv1d_forward",
         "trigger.detector_forward"),
        datasets=("trigger.h5", "trigger_detector.h5"),
    ),
    Assignment(
        "c5w4a1", "c5w4a1_transformer.ipynb", "Transformer (beyond the notes)",
        ("transformer.positional_encoding", "transformer.create_padding_mask",
         "transformer.create_look_ahead_mask", "transformer.scaled_dot_product_attention",
         "transformer.scaled_dot_product_attention_backward", "transformer.layer_norm_forward",
         "transformer.layer_norm_backward", "transformer.split_heads", "transformer.merge_heads",
         "transformer.multi_head_attention_forward",
         "transformer.multi_head_attention_backward", "transformer.encoder_layer_forward",
         "transformer.encoder_layer_backward"),
    ),
)

BY_ID = {a.id: a for a in ASSIGNMENTS}


def get(assignment_id: str) -> Assignment:
    try:
        return BY_ID[assignment_id]
    except KeyError:
        known = ", ".join(BY_ID)
        raise SystemExit(f"unknown assignment {assignment_id!r}; known: {known}") from None


def stubs_for(assignment: Assignment) -> dict[str, Assignment]:
    """Functions to stub in this assignment's copy of the package.

    Everything graded in this assignment or a later one, mapped to the first
    such assignment that teaches it; functions of earlier assignments stay
    complete because later notebooks build on them.
    """
    start = ASSIGNMENTS.index(assignment)
    stubs: dict[str, Assignment] = {}
    for later in ASSIGNMENTS[start:]:
        for name in later.functions:
            stubs.setdefault(name, later)
    return stubs
