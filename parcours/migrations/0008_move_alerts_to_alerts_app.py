"""The alert models move to app `alerts` (alerts.0001): Django's state only, the tables stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('parcours', '0007_pass_iae_housing_request'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='alert',
                    name='acknowledged_by',
                ),
                migrations.RemoveField(
                    model_name='alert',
                    name='closed_by',
                ),
                migrations.RemoveField(
                    model_name='alert',
                    name='owner',
                ),
                migrations.RemoveField(
                    model_name='alert',
                    name='person',
                ),
                migrations.RemoveField(
                    model_name='alert',
                    name='structure',
                ),
                migrations.RemoveField(
                    model_name='alerttransition',
                    name='alert',
                ),
                migrations.RemoveField(
                    model_name='caseconferenceproposal',
                    name='alert',
                ),
                migrations.DeleteModel(
                    name='AlertSettings',
                ),
                migrations.RemoveField(
                    model_name='alerttransition',
                    name='by',
                ),
                migrations.RemoveField(
                    model_name='caseconferenceproposal',
                    name='person',
                ),
                migrations.RemoveField(
                    model_name='caseconferenceproposal',
                    name='proposed_by',
                ),
                migrations.DeleteModel(
                    name='Alert',
                ),
                migrations.DeleteModel(
                    name='AlertTransition',
                ),
                migrations.DeleteModel(
                    name='CaseConferenceProposal',
                ),
            ],
            database_operations=[],
        ),
    ]
