"""The alert models, moved from app `parcours` with their tables (`parcours_alert`…): state only.

The content types follow, so that admin log entries and permissions keep pointing at the same rows.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MODELS = ["alert", "alertsettings", "alerttransition", "caseconferenceproposal"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="parcours", model__in=MODELS).update(app_label="alerts")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="alerts", model__in=MODELS).update(app_label="parcours")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('parcours', '0008_move_alerts_to_alerts_app'),
        ('partenaires', '0003_structure_fill_search_documents'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Alert',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rule', models.CharField(choices=[('STAY_END', 'Fin de séjour proche'), ('CONTRACT_END', 'Fin de contrat proche'), ('PASS_IAE_END', 'Fin de PASS IAE'), ('RESOURCE_END', 'Fin de ressource'), ('PERMIT_RENEWAL', 'Titre de séjour à renouveler'), ('NO_CONTACT', 'Sans contact'), ('REFERRAL_STALLED', 'Orientation sans réponse'), ('EVALUATION_MISSING_OR_OUTDATED', 'Évaluation manquante ou ancienne'), ('INSTITUTION_EXIT', "Sortie d'institution"), ('ACUTE_EVENT', 'Événement grave'), ('EMPLOYMENT_LEVER', 'Levier emploi à préserver'), ('COMPLEX_CASE', 'Situation complexe : proposer une commission')], max_length=40, verbose_name='règle')),
                        ('subject_key', models.CharField(max_length=64, verbose_name='objet')),
                        ('severity', models.CharField(choices=[('INFO', 'Information'), ('WARNING', 'À traiter'), ('URGENT', 'Urgent')], max_length=8, verbose_name='gravité')),
                        ('due_on', models.DateField(blank=True, null=True, verbose_name='échéance')),
                        ('facts', models.JSONField(blank=True, default=dict, verbose_name='faits')),
                        ('status', models.CharField(choices=[('OPEN', 'Ouverte'), ('ACKNOWLEDGED', 'Prise en compte'), ('RESOLVED', 'Résolue'), ('DISMISSED', 'Écartée')], default='OPEN', max_length=12, verbose_name='statut')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créée le')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='mise à jour le')),
                        ('acknowledged_at', models.DateTimeField(blank=True, null=True, verbose_name='prise en compte le')),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='close le')),
                        ('resolution', models.CharField(blank=True, choices=[('AUTO', 'Résolue automatiquement'), ('MANUAL', 'Résolue par un·e professionnel·le')], max_length=8, verbose_name='résolution')),
                        ('dismiss_reason', models.CharField(blank=True, choices=[('FALSE_POSITIVE', 'Donnée erronée'), ('ALREADY_HANDLED', 'Déjà traité'), ('PERSON_DECLINED', "La personne ne souhaite pas d'action"), ('OTHER', 'Autre')], max_length=20, verbose_name='motif')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('escalated_at', models.DateTimeField(blank=True, null=True, verbose_name='signalée à la coordination le')),
                        ('acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='responsable')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='alerts', to='parcours.person')),
                        ('structure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='partenaires.structure', verbose_name='structure du ou de la référent·e de parcours')),
                    ],
                    options={
                        'verbose_name': 'alerte',
                        'verbose_name_plural': 'alertes',
                        'db_table': 'parcours_alert',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='AlertSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('stay_end_warning_days', models.PositiveSmallIntegerField(default=60, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='fin de séjour : alerte « à traiter » (jours avant)')),
                        ('stay_end_urgent_days', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='fin de séjour : alerte « urgent » (jours avant)')),
                        ('contract_end_warning_days', models.PositiveSmallIntegerField(default=60, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='fin de contrat : alerte « à traiter » (jours avant)')),
                        ('contract_end_urgent_days', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='fin de contrat : alerte « urgent » (jours avant)')),
                        ('pass_iae_info_days', models.PositiveSmallIntegerField(default=183, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='fin de PASS IAE : information (jours avant)')),
                        ('pass_iae_warning_days', models.PositiveSmallIntegerField(default=92, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='fin de PASS IAE : alerte « à traiter » (jours avant)')),
                        ('pass_iae_grace_days', models.PositiveSmallIntegerField(default=183, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name="fin de PASS IAE : l'alerte se ferme (jours après la fin)")),
                        ('resource_end_warning_days', models.PositiveSmallIntegerField(default=60, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='fin de ressource : alerte « à traiter » (jours avant)')),
                        ('resource_end_urgent_days', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='fin de ressource : alerte « urgent » (jours avant)')),
                        ('permit_warning_days', models.PositiveSmallIntegerField(default=120, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='titre de séjour : alerte « à traiter » (jours avant)')),
                        ('permit_urgent_days', models.PositiveSmallIntegerField(default=60, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='titre de séjour : alerte « urgent » (jours avant)')),
                        ('no_contact_days', models.PositiveSmallIntegerField(default=45, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='sans contact depuis (jours)')),
                        ('missed_appointments', models.PositiveSmallIntegerField(default=2, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name="rendez-vous non honorés déclenchant l'alerte")),
                        ('missed_window_days', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='… sur une période de (jours)')),
                        ('evaluation_missing_days', models.PositiveSmallIntegerField(default=61, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name="évaluation manquante : délai après le début de l'accompagnement (jours)")),
                        ('evaluation_outdated_days', models.PositiveSmallIntegerField(default=183, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='évaluation ancienne : âge de la dernière version finalisée (jours)')),
                        ('institution_exit_warning_days', models.PositiveSmallIntegerField(default=90, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name="sortie d'institution : alerte « à traiter » (jours avant)")),
                        ('institution_exit_urgent_days', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name="sortie d'institution : alerte « urgent » (jours avant)")),
                        ('acute_event_days', models.PositiveSmallIntegerField(default=7, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='événement grave : période ouverte après la fin (jours)')),
                        ('lever_precarious_days', models.PositiveSmallIntegerField(default=90, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='levier emploi : à la rue ou en urgence depuis plus de (jours)')),
                        ('next_step_accepted_days', models.PositiveSmallIntegerField(default=60, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='une orientation acceptée compte comme solution pendant (jours)')),
                        ('complex_barriers', models.PositiveSmallIntegerField(default=3, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='situation complexe : freins actifs (au moins)')),
                        ('complex_structures', models.PositiveSmallIntegerField(default=2, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='situation complexe : structures qui accompagnent (au moins)')),
                        ('complex_urgent_alerts', models.PositiveSmallIntegerField(default=2, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='situation complexe : alertes urgentes (au moins)')),
                        ('complex_window_days', models.PositiveSmallIntegerField(default=365, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='situation complexe : période des alertes urgentes (jours)')),
                        ('escalation_days', models.PositiveSmallIntegerField(default=7, validators=[django.core.validators.MinValueValidator(1, message="Indiquez une valeur d'au moins 1.")], verbose_name='escalade à la coordination sans prise en compte après (jours)')),
                    ],
                    options={
                        'verbose_name': 'réglages des alertes',
                        'verbose_name_plural': 'réglages des alertes',
                        'db_table': 'parcours_alertsettings',
                        'constraints': [models.CheckConstraint(condition=models.Q(('stay_end_warning_days__gte', 1)), name='parcours_alertsettings_stay_end_warning_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('stay_end_urgent_days__gte', 1)), name='parcours_alertsettings_stay_end_urgent_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('contract_end_warning_days__gte', 1)), name='parcours_alertsettings_contract_end_warning_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('contract_end_urgent_days__gte', 1)), name='parcours_alertsettings_contract_end_urgent_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('pass_iae_info_days__gte', 1)), name='parcours_alertsettings_pass_iae_info_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('pass_iae_warning_days__gte', 1)), name='parcours_alertsettings_pass_iae_warning_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('pass_iae_grace_days__gte', 1)), name='parcours_alertsettings_pass_iae_grace_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('resource_end_warning_days__gte', 1)), name='parcours_alertsettings_resource_end_warning_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('resource_end_urgent_days__gte', 1)), name='parcours_alertsettings_resource_end_urgent_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('permit_warning_days__gte', 1)), name='parcours_alertsettings_permit_warning_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('permit_urgent_days__gte', 1)), name='parcours_alertsettings_permit_urgent_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('no_contact_days__gte', 1)), name='parcours_alertsettings_no_contact_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('missed_appointments__gte', 1)), name='parcours_alertsettings_missed_appointments_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('missed_window_days__gte', 1)), name='parcours_alertsettings_missed_window_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('evaluation_missing_days__gte', 1)), name='parcours_alertsettings_evaluation_missing_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('evaluation_outdated_days__gte', 1)), name='parcours_alertsettings_evaluation_outdated_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('institution_exit_warning_days__gte', 1)), name='parcours_alertsettings_institution_exit_warning_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('institution_exit_urgent_days__gte', 1)), name='parcours_alertsettings_institution_exit_urgent_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('acute_event_days__gte', 1)), name='parcours_alertsettings_acute_event_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('lever_precarious_days__gte', 1)), name='parcours_alertsettings_lever_precarious_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('next_step_accepted_days__gte', 1)), name='parcours_alertsettings_next_step_accepted_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('complex_barriers__gte', 1)), name='parcours_alertsettings_complex_barriers_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('complex_structures__gte', 1)), name='parcours_alertsettings_complex_structures_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('complex_urgent_alerts__gte', 1)), name='parcours_alertsettings_complex_urgent_alerts_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('complex_window_days__gte', 1)), name='parcours_alertsettings_complex_window_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('escalation_days__gte', 1)), name='parcours_alertsettings_escalation_days_positive', violation_error_message='Les délais et seuils doivent valoir au moins 1.'), models.CheckConstraint(condition=models.Q(('stay_end_urgent_days__lte', models.F('stay_end_warning_days'))), name='parcours_alertsettings_stay_end_urgent_days_nearer', violation_error_message='Le seuil le plus proche doit être inférieur ou égal au premier.'), models.CheckConstraint(condition=models.Q(('contract_end_urgent_days__lte', models.F('contract_end_warning_days'))), name='parcours_alertsettings_contract_end_urgent_days_nearer', violation_error_message='Le seuil le plus proche doit être inférieur ou égal au premier.'), models.CheckConstraint(condition=models.Q(('pass_iae_warning_days__lte', models.F('pass_iae_info_days'))), name='parcours_alertsettings_pass_iae_warning_days_nearer', violation_error_message='Le seuil le plus proche doit être inférieur ou égal au premier.'), models.CheckConstraint(condition=models.Q(('resource_end_urgent_days__lte', models.F('resource_end_warning_days'))), name='parcours_alertsettings_resource_end_urgent_days_nearer', violation_error_message='Le seuil le plus proche doit être inférieur ou égal au premier.'), models.CheckConstraint(condition=models.Q(('permit_urgent_days__lte', models.F('permit_warning_days'))), name='parcours_alertsettings_permit_urgent_days_nearer', violation_error_message='Le seuil le plus proche doit être inférieur ou égal au premier.'), models.CheckConstraint(condition=models.Q(('institution_exit_urgent_days__lte', models.F('institution_exit_warning_days'))), name='parcours_alertsettings_institution_exit_urgent_days_nearer', violation_error_message='Le seuil le plus proche doit être inférieur ou égal au premier.')],
                    },
                ),
                migrations.CreateModel(
                    name='AlertTransition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('from_status', models.CharField(blank=True, choices=[('OPEN', 'Ouverte'), ('ACKNOWLEDGED', 'Prise en compte'), ('RESOLVED', 'Résolue'), ('DISMISSED', 'Écartée')], max_length=12, verbose_name='de')),
                        ('to_status', models.CharField(choices=[('OPEN', 'Ouverte'), ('ACKNOWLEDGED', 'Prise en compte'), ('RESOLVED', 'Résolue'), ('DISMISSED', 'Écartée')], max_length=12, verbose_name='vers')),
                        ('at', models.DateTimeField(auto_now_add=True, verbose_name='le')),
                        ('reason', models.CharField(blank=True, max_length=20, verbose_name='motif')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('alert', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='alerts.alert')),
                        ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': "changement de statut d'alerte",
                        'verbose_name_plural': "changements de statut d'alerte",
                        'db_table': 'parcours_alerttransition',
                        'ordering': ['alert_id', 'at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='CaseConferenceProposal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('proposed_at', models.DateTimeField(auto_now_add=True, verbose_name='proposée le')),
                        ('handled_at', models.DateTimeField(blank=True, null=True, verbose_name='traitée le')),
                        ('alert', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='conference_proposal', to='alerts.alert')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='parcours.person')),
                        ('proposed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'proposition de passage en commission',
                        'verbose_name_plural': 'propositions de passage en commission',
                        'db_table': 'parcours_caseconferenceproposal',
                        'ordering': ['-proposed_at', '-id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='alert',
                    index=models.Index(fields=['owner', 'status'], name='parcours_alert_owner_idx'),
                ),
                migrations.AddIndex(
                    model_name='alert',
                    index=models.Index(fields=['person', 'status'], name='parcours_alert_person_idx'),
                ),
                migrations.AddIndex(
                    model_name='alert',
                    index=models.Index(fields=['rule', 'status'], name='parcours_alert_rule_idx'),
                ),
                migrations.AddIndex(
                    model_name='alert',
                    index=models.Index(fields=['created_at'], name='parcours_alert_created_idx'),
                ),
                migrations.AddConstraint(
                    model_name='alert',
                    constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['OPEN', 'ACKNOWLEDGED'])), fields=('person', 'rule', 'subject_key'), name='parcours_alert_one_open', violation_error_message='Une alerte de cette règle est déjà ouverte pour cet objet.'),
                ),
                migrations.AddConstraint(
                    model_name='alert',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'DISMISSED'), _negated=True), models.Q(('dismiss_reason', ''), _negated=True), _connector='OR'), name='parcours_alert_dismissed_has_reason', violation_error_message="Indiquez pourquoi l'alerte est écartée."),
                ),
                migrations.AddConstraint(
                    model_name='alert',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('dismiss_reason', 'OTHER'), _negated=True), models.Q(('note', ''), _negated=True), _connector='OR'), name='parcours_alert_other_reason_has_note', violation_error_message='Précisez le motif « Autre ».'),
                ),
                migrations.AddConstraint(
                    model_name='alert',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('closed_at__isnull', True), ('status__in', ['OPEN', 'ACKNOWLEDGED'])), models.Q(('closed_at__isnull', False), ('status__in', ['RESOLVED', 'DISMISSED'])), _connector='OR'), name='parcours_alert_closed_at_when_closed', violation_error_message='Une alerte close a une date de clôture, et seulement elle.'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
