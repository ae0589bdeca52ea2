# creatormatch service image: dependencies in their own layer, code after, the bundle mounted read-only.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# CPU build of torch first, so sentence-transformers does not pull the CUDA build.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

# Dependencies only (from pyproject.toml, at the versions in constraints.txt), cached unless they change.
COPY pyproject.toml README.md constraints.txt ./
RUN mkdir -p creatormatch training service cli \
    && touch creatormatch/__init__.py training/__init__.py service/__init__.py cli/__init__.py \
    && pip install -c constraints.txt . \
    && pip uninstall -y creatormatch

COPY creatormatch ./creatormatch
COPY training ./training
COPY service ./service
COPY cli ./cli
RUN pip install --no-deps .
# The model's ONNX export, made once here, so the service never needs torch at start-up.
ENV CREATORMATCH_MODEL_CACHE_DIR=/opt/creatormatch/models
RUN creatormatch model export

RUN useradd --create-home creatormatch && mkdir -p /var/lib/creatormatch && chown creatormatch /var/lib/creatormatch
USER creatormatch
# Shortlist jobs persist here (mount a volume to keep them across containers); bundles stay read-only.
ENV CREATORMATCH_JOBS_PATH=/var/lib/creatormatch/jobs.sqlite
EXPOSE 8000
VOLUME ["/bundles", "/var/lib/creatormatch"]
CMD ["creatormatch", "serve", "--bundle", "/bundles/current", "--host", "0.0.0.0", "--port", "8000"]
